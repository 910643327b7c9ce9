-- Drives :RustcoderGenerate in a real headless Neovim: the server generates a crate
-- (with the model at RC_ENDPOINT) and creates it through workspace/applyEdit.
-- Run as: nvim --headless --clean -l nvim_generate.lua
-- Inputs (environment): RC_RTP, RC_CMD (JSON list), RC_FILE (a Rust file to open so the
-- client starts), RC_ENDPOINT, RC_DESCRIPTION, RC_TARGET (the folder typed at the
-- prompt), RC_TIMEOUT.
local env = vim.env
local timeout_ms = tonumber(env.RC_TIMEOUT or '120') * 1000

local function say(fmt, ...)
  io.stdout:write(('[nvim] ' .. fmt .. '\n'):format(...))
  io.stdout:flush()
end

local function fail(fmt, ...)
  say('FAIL: ' .. fmt, ...)
  os.exit(1)
end

vim.opt.runtimepath:prepend(env.RC_RTP)
vim.cmd.runtime('plugin/rustcoder.lua')
vim.lsp.config('rustcoder', {
  cmd = vim.json.decode(env.RC_CMD),
  settings = { rustcoder = { model = { endpoint = env.RC_ENDPOINT, name = 'scripted' } } },
})
vim.lsp.enable('rustcoder')

-- Work-done progress of the generation, for the transcript.
vim.api.nvim_create_autocmd('LspProgress', {
  callback = function(args)
    local value = args.data.params.value
    if value.title or value.message then
      say('progress %s: %s %s', value.kind, value.title or '', value.message or '')
    end
  end,
})
-- What the user types at the prompts.
vim.ui.input = function(opts, on_confirm)
  say('prompt %q -> %q', opts.prompt, env.RC_TARGET)
  on_confirm(env.RC_TARGET)
end

vim.cmd.edit(vim.fn.fnameescape(env.RC_FILE))
local client
if not vim.wait(timeout_ms, function()
  client = vim.lsp.get_clients({ bufnr = 0, name = 'rustcoder' })[1]
  return client ~= nil and client.initialized
end, 50) then
  fail('the rustcoder client did not attach')
end
say('attached; running :RustcoderGenerate %s', env.RC_DESCRIPTION)
vim.cmd('RustcoderGenerate ' .. env.RC_DESCRIPTION)

local main = vim.fs.joinpath(env.RC_TARGET, 'src', 'main.rs')
local function generated()
  local buf = vim.fn.bufnr(main)
  return buf ~= -1 and vim.api.nvim_buf_is_loaded(buf)
    and #table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') > 0
end
if not vim.wait(timeout_ms, generated, 50) then
  fail('no %s was created', main)
end
-- The files exist on disk (CreateFile); their text is in buffers until written.
vim.cmd('silent wall')
for _, buf in ipairs(vim.api.nvim_list_bufs()) do
  local name = vim.api.nvim_buf_get_name(buf)
  if vim.startswith(name, env.RC_TARGET) then
    say('created %s (%d lines)', name:sub(#env.RC_TARGET + 2), vim.api.nvim_buf_line_count(buf))
  end
end
say('current buffer: %s', vim.api.nvim_buf_get_name(0))
vim.lsp.stop_client(client.id)
vim.wait(5000, function() return client:is_stopped() end, 50)
os.exit(0)
