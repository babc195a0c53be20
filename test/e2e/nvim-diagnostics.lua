-- Run by test/e2e/neovim.test.ts inside `nvim --headless --clean -u NONE` (Neovim 0.7+: no `-l`).
-- Starts the slimdock language server with Neovim's own LSP client, opens one Dockerfile, waits
-- for its diagnostics, writes them as JSON and quits. Inputs come from the environment:
--   SLIMDOCK_SERVER  path of dist/server.js      SLIMDOCK_FILE  the Dockerfile to open
--   SLIMDOCK_OUT     where to write the JSON      SLIMDOCK_TIMEOUT_MS  how long to wait
local server = assert(os.getenv('SLIMDOCK_SERVER'), 'SLIMDOCK_SERVER is not set')
local file = assert(os.getenv('SLIMDOCK_FILE'), 'SLIMDOCK_FILE is not set')
local out = assert(os.getenv('SLIMDOCK_OUT'), 'SLIMDOCK_OUT is not set')
local timeout = tonumber(os.getenv('SLIMDOCK_TIMEOUT_MS') or '10000')

local function write(result)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local ok, err = pcall(function()
  local uri = vim.uri_from_fname(file)
  local received = nil -- the first non-empty publishDiagnostics for our file
  local publishes = 0
  local client_id = vim.lsp.start_client({
    name = 'slimdock',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(_, result)
        if result.uri == uri then
          publishes = publishes + 1
          if received == nil and #result.diagnostics > 0 then received = result end
        end
      end,
    },
  })
  assert(client_id, 'vim.lsp.start_client returned nil')

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  -- -u NONE turns filetype detection off; the languageId sent in didOpen is the filetype.
  vim.bo.filetype = 'dockerfile'
  assert(vim.lsp.buf_attach_client(0, client_id), 'vim.lsp.buf_attach_client failed')

  local arrived = vim.wait(timeout, function() return received ~= nil end, 20)
  write({
    ok = arrived,
    publishes = publishes,
    diagnostics = received and received.diagnostics or {},
  })
  vim.lsp.stop_client(client_id)
end)

if not ok then
  write({ ok = false, error = tostring(err) })
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
