-- rustcoder: verified quick fixes for rustc errors, beside rust-analyzer.
--
-- Neovim 0.11+: put this directory (editors/nvim) on 'runtimepath' and call
--   vim.lsp.enable('rustcoder')
-- Override any field with vim.lsp.config('rustcoder', { ... }), e.g. the cmd of a
-- rustcoder installed in a virtual environment that is not on PATH.

---@type vim.lsp.Config
return {
  cmd = { 'rustcoder', 'serve' },
  filetypes = { 'rust' },
  -- The nearest Cargo.toml: the server finds the enclosing workspace itself.
  root_markers = { 'Cargo.toml', '.git' },
  -- Sent as workspace/didChangeConfiguration and answered to workspace/configuration.
  -- Keys as in the README's settings table (camelCase), under "rustcoder".
  settings = {
    rustcoder = {
      check = { command = 'check' },
      fix = { verify = true },
    },
  },
}
