-- User commands for rustcoder: :RustcoderFixAll, :RustcoderGenerate, :RustcoderExplain.
-- They talk to the running "rustcoder" client (see lsp/rustcoder.lua).
if vim.g.loaded_rustcoder then
  return
end
vim.g.loaded_rustcoder = true

local function client_for(bufnr)
  local clients = vim.lsp.get_clients({ bufnr = bufnr, name = 'rustcoder' })
  if #clients == 0 then
    clients = vim.lsp.get_clients({ name = 'rustcoder' })
  end
  if #clients == 0 then
    vim.notify('rustcoder: no rustcoder language server is running', vim.log.levels.WARN)
    return nil
  end
  return clients[1]
end

--- Runs a server command; Neovim applies the workspace/applyEdit it sends back.
local function execute(client, bufnr, command, arguments, on_done)
  local cmd = { title = command, command = command, arguments = arguments }
  local handler = function(err, result)
    if err then
      vim.notify(('rustcoder: %s failed: %s'):format(command, err.message), vim.log.levels.ERROR)
    end
    if on_done then
      on_done(err, result)
    end
  end
  if client.exec_cmd then
    client:exec_cmd(cmd, { bufnr = bufnr }, handler)
  else -- Neovim < 0.11
    client.request('workspace/executeCommand', cmd, handler, bufnr)
  end
end

vim.api.nvim_create_user_command('RustcoderFixAll', function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_for(bufnr)
  if not client then
    return
  end
  execute(client, bufnr, 'rustcoder.fixAllInFile', { vim.uri_from_bufnr(bufnr) }, function(err, applied)
    if not err and applied == false then
      vim.notify('rustcoder: no verified fix applied', vim.log.levels.INFO)
    end
  end)
end, { desc = 'rustcoder: apply every verified fix in this file' })

vim.api.nvim_create_user_command('RustcoderGenerate', function(opts)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_for(bufnr)
  if not client then
    return
  end
  local function with_folder(description)
    vim.ui.input({
      prompt = 'Target folder: ',
      default = vim.fn.getcwd() .. '/',
      completion = 'dir',
    }, function(folder)
      if not folder or folder == '' then
        return
      end
      folder = vim.fs.normalize(vim.fn.fnamemodify(folder, ':p'))
      execute(client, bufnr, 'rustcoder.generateCrate', { description, vim.uri_from_fname(folder) })
    end)
  end
  if opts.args ~= '' then
    with_folder(opts.args)
    return
  end
  vim.ui.input({ prompt = 'Describe the crate: ' }, function(description)
    if description and description ~= '' then
      with_folder(description)
    end
  end)
end, { nargs = '*', desc = 'rustcoder: generate a crate from a description' })

vim.api.nvim_create_user_command('RustcoderExplain', function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_for(bufnr)
  if not client then
    return
  end
  local lnum = vim.api.nvim_win_get_cursor(0)[1] - 1
  local diagnostics = vim.diagnostic.get(bufnr, { lnum = lnum })
  local code
  for _, d in ipairs(diagnostics) do
    -- rustc's error codes (E0308); lints such as unused_mut have no explanation.
    if d.code and tostring(d.code):match('^E%d%d%d%d$') then
      code = tostring(d.code)
      break
    end
  end
  if not code then
    vim.notify('rustcoder: no rustc error code on this line', vim.log.levels.INFO)
    return
  end
  -- The server shows the explanation itself (window/showDocument) and returns it.
  local position = { line = lnum, character = vim.api.nvim_win_get_cursor(0)[2] }
  execute(client, bufnr, 'rustcoder.explainError', {
    { uri = vim.uri_from_bufnr(bufnr), position = position, code = code },
  })
end, { desc = 'rustcoder: explain the error under the cursor' })
