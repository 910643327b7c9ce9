-- Drives a real headless Neovim through one quick fix with rustcoder.
-- Run as: nvim --headless --clean -l nvim_driver.lua
-- Inputs come from the environment (set by test_neovim.py):
--   RC_RTP       the repo's editors/nvim (lsp/rustcoder.lua, plugin/rustcoder.lua)
--   RC_CMD       the server command line, as a JSON list
--   RC_FILE      the Rust file to open (a copy of a fixture crate)
--   RC_CODE      the error code to wait for (e.g. E0308)
--   RC_PICK      "preferred", a plain substring of the action title to apply, or
--                ":RustcoderFixAll" to run that user command instead of a code action
--   RC_EXPECT    text the buffer must contain after the fix
--   RC_TIMEOUT   seconds to wait for each step
--   RC_START     "1": start the server with vim.lsp.start (the README's pre-0.11 snippet)
--   RC_ONLY      optional code action kind to ask for (context.only), e.g. quickfix
-- Prints a transcript; exits 0 when the fix was applied and the file written.

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

local function wait(what, predicate)
  if not vim.wait(timeout_ms, predicate, 50) then
    fail('timed out waiting for %s', what)
  end
end

vim.opt.runtimepath:prepend(env.RC_RTP)
vim.cmd.runtime('plugin/rustcoder.lua')
for _, name in ipairs({ 'RustcoderFixAll', 'RustcoderGenerate', 'RustcoderExplain' }) do
  if vim.fn.exists(':' .. name) ~= 2 then
    fail('user command %s not defined by plugin/rustcoder.lua', name)
  end
end

if env.RC_START == '1' then
  -- The README's snippet for Neovim 0.8-0.10: vim.lsp.start from a FileType autocmd.
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'rust',
    callback = function(args)
      local marker = vim.fs.find({ 'Cargo.toml', '.git' }, {
        upward = true,
        path = vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)),
      })[1]
      vim.lsp.start({
        name = 'rustcoder',
        cmd = vim.json.decode(env.RC_CMD),
        root_dir = marker and vim.fs.dirname(marker) or nil,
        settings = { rustcoder = { check = { command = 'check' } } },
      })
    end,
  })
  say('config: vim.lsp.start from a FileType autocmd')
else
  -- The repo's config supplies filetypes, root markers and settings; only cmd changes.
  vim.lsp.config('rustcoder', { cmd = vim.json.decode(env.RC_CMD) })
  vim.lsp.enable('rustcoder')
  local config = vim.lsp.config.rustcoder
  say('config: filetypes=%s root_markers=%s', table.concat(config.filetypes, ','),
    table.concat(config.root_markers, ','))
end

vim.cmd.edit(vim.fn.fnameescape(env.RC_FILE))
local bufnr = vim.api.nvim_get_current_buf()
if vim.bo[bufnr].filetype ~= 'rust' then
  fail('filetype of %s is %q, not rust', env.RC_FILE, vim.bo[bufnr].filetype)
end

local client
wait('the rustcoder client to attach', function()
  client = vim.lsp.get_clients({ bufnr = bufnr, name = 'rustcoder' })[1]
  return client ~= nil and client.initialized
end)
say('attached: %s (root %s)', client.name, client.root_dir or '?')
local caps = client.capabilities.textDocument.codeAction
say('client codeAction: dataSupport=%s resolveSupport=%s', tostring(caps.dataSupport),
  table.concat((caps.resolveSupport or { properties = {} }).properties, ','))

local namespace = vim.lsp.diagnostic.get_namespace(client.id)
local target
wait('rustcoder diagnostic ' .. env.RC_CODE, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = namespace })) do
    if tostring(d.code) == env.RC_CODE then
      target = d
      return true
    end
  end
  return false
end)
for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = namespace })) do
  say('diagnostic %d:%d %s[%s] %s', d.lnum + 1, d.col + 1,
    vim.diagnostic.severity[d.severity], tostring(d.code), (d.message:gsub('\n.*', '')))
end

vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })

-- The server answers codeAction from its last finished check; right after the
-- diagnostics arrive it may still be ranking candidates, so ask until it has some.
local only = env.RC_ONLY and { env.RC_ONLY } or nil
local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
params.context = { diagnostics = { vim.lsp.diagnostic.from(vim.diagnostic.get(bufnr, {
  namespace = namespace, lnum = target.lnum }))[1] }, only = only }
local attempts, deadline = 0, vim.uv.now() + timeout_ms
while true do
  attempts = attempts + 1
  local response = client:request_sync('textDocument/codeAction', params, 5000, bufnr)
  if response ~= nil and response.result ~= nil and #response.result > 0 then
    break
  end
  if vim.uv.now() > deadline then
    fail('rustcoder offered no code action after %d requests', attempts)
  end
  vim.wait(200)
end
say('codeAction answered with actions after %d request(s)', attempts)
local tick = vim.api.nvim_buf_get_changedtick(bufnr)
local function wait_for_change()
  return vim.wait(timeout_ms, function()
    return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
  end, 50)
end

local result = {}
if env.RC_PICK == ':RustcoderFixAll' then
  -- The plugin's user command: workspace/executeCommand, then the server's applyEdit.
  vim.cmd('RustcoderFixAll')
  if not wait_for_change() then
    fail(':RustcoderFixAll changed nothing')
  end
  say('action applied: :RustcoderFixAll (rustcoder.fixAllInFile, workspace/applyEdit)')
  result.title = ':RustcoderFixAll'
else
  local seen, chosen, lazy = {}, nil, nil
  local function pick(action)
    table.insert(seen, action)
    local ok
    if env.RC_PICK == 'preferred' then
      ok = action.isPreferred == true
    else
      ok = action.title:find(env.RC_PICK, 1, true) ~= nil
    end
    if ok and chosen == nil then
      chosen = action
      lazy = action.edit == nil
      return true
    end
    return false
  end
  -- Count codeAction/resolve requests: the edit must come from there when the
  -- action arrived without one.
  local resolves = 0
  local original_request = client.request
  client.request = function(self, method, ...)
    if method == 'codeAction/resolve' then
      resolves = resolves + 1
    end
    return original_request(self, method, ...)
  end
  -- What the default `gra` mapping does, applying the picked action without a menu.
  vim.lsp.buf.code_action({ apply = true, filter = pick, context = { only = only } })
  local applied = wait_for_change()
  for _, action in ipairs(seen) do
    say('action offered: %s%s [%s]', action.title, action.isPreferred and ' (preferred)' or '',
      action.kind or '?')
  end
  if not applied then
    fail('no action was applied (%d offered, picked %s)', #seen, chosen and chosen.title or 'none')
  end
  say('action applied: %s (edit %s)', chosen.title,
    lazy and resolves > 0 and 'from codeAction/resolve' or 'sent with the action')
  result = {
    title = chosen.title,
    lazy = lazy,
    resolves = resolves,
    offered = vim.tbl_map(function(a) return a.title end, seen),
  }
end

local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
if not text:find(env.RC_EXPECT, 1, true) then
  fail('buffer does not contain %q after the fix:\n%s', env.RC_EXPECT, text)
end
vim.cmd.write()
say('wrote %s', env.RC_FILE)
io.stdout:write(('[nvim] RESULT %s\n'):format(vim.json.encode(result)))
vim.lsp.stop_client(client.id)
vim.wait(5000, function() return client:is_stopped() end, 50)
os.exit(0)
