-- Neovim as a real LSP client of `kro-gen lsp --stdio` (run headless by test/lsp/neovim.test.ts):
-- open an RGD with a misspelled field, wait for the diagnostic, fix it and wait for it to clear,
-- then ask for hover and completion, and check what comes back. Written for Neovim 0.7 (Debian
-- 12's), whose API is vim.lsp.start_client + buf_attach_client. Exits 0 when every check holds;
-- otherwise prints the failure to stderr and exits 1.
local cmd = vim.fn.json_decode(os.getenv('KRO_GEN_LSP_CMD'))
local file = os.getenv('KRO_GEN_RGD')
local root = vim.fn.fnamemodify(file, ':h')
local timeout = 30000

local function fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

local function log(msg)
  io.stderr:write(msg .. '\n')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'yaml'

local client_id = vim.lsp.start_client({
  name = 'kro-gen',
  cmd = cmd,
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'rgds' } },
})
if not client_id then
  fail('could not start the server')
end
vim.lsp.buf_attach_client(buf, client_id)

-- Line (0-based) and character of the first occurrence of `needle` in the buffer.
local function find(needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = string.find(line, needle, 1, true)
    if s then
      return i - 1, s - 1
    end
  end
  fail('no ' .. needle .. ' in the buffer')
end

local function diagnostics()
  return vim.diagnostic.get(buf)
end

-- 1. The misspelled field is reported on its line.
local typo_line = find('schema.spec.imgae')
if not vim.wait(timeout, function() return #diagnostics() > 0 end, 50) then
  fail('no diagnostics within ' .. timeout .. ' ms')
end
local d = diagnostics()[1]
log('diagnostic: ' .. d.lnum .. ':' .. d.col .. ' ' .. d.message)
if d.lnum ~= typo_line or not string.find(d.message, "undefined field 'imgae'", 1, true) then
  fail('unexpected diagnostic ' .. vim.inspect(d))
end

-- 2. Fixing it clears it.
local line = vim.api.nvim_buf_get_lines(buf, typo_line, typo_line + 1, false)[1]
local fixed = string.gsub(line, 'imgae', 'image')
vim.api.nvim_buf_set_lines(buf, typo_line, typo_line + 1, false, { fixed })
if not vim.wait(timeout, function() return #diagnostics() == 0 end, 50) then
  fail('the diagnostic did not clear: ' .. vim.inspect(diagnostics()))
end
log('diagnostic cleared')

local function request(method, l, c)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = l, character = c } }
  local responses = vim.lsp.buf_request_sync(buf, method, params, timeout)
  local response = responses and responses[client_id]
  if not response or response.err then
    fail(method .. ' failed: ' .. vim.inspect(responses))
  end
  return response.result
end

-- The hover text at `offset` characters into the first line holding `needle`, logged as `label: ...`.
local function hover_at(needle, offset, label)
  local l, c = find(needle)
  local result = request('textDocument/hover', l, c + offset)
  local text = result and result.contents and result.contents.value or ''
  log(label .. ': ' .. string.gsub(text, '\n', ' | '))
  return text
end

-- 3. Hover on schema.spec.replicas says integer.
local text = hover_at('schema.spec.replicas}', 14, 'hover')
if not string.find(text, 'integer', 1, true) then
  fail('hover does not say integer: ' .. text)
end

-- 3b. Hover on a Deployment's field gives the first sentence of its Kubernetes description.
local ftext = hover_at('deployment.status.availableReplicas}', 20, 'field hover')
if not string.find(ftext, 'Total number of available non-terminating pods', 1, true) then
  fail('hover on a Deployment field has no description: ' .. ftext)
end

-- 4. Completion after ${schema.spec. lists the spec fields.
local il = find('image: ${schema.spec.image}')
local current = vim.api.nvim_buf_get_lines(buf, il, il + 1, false)[1]
local typed = string.gsub(current, '%${schema%.spec%.image}', '${schema.spec.')
vim.api.nvim_buf_set_lines(buf, il, il + 1, false, { typed })
local result = request('textDocument/completion', il, #typed)
local items = result and (result.items or result) or {}
local labels = {}
for _, item in ipairs(items) do
  labels[#labels + 1] = item.label
end
log('completion: ' .. table.concat(labels, ' '))
if table.concat(labels, ' ') ~= 'name image replicas svcType' then
  fail('unexpected completion: ' .. table.concat(labels, ' '))
end

vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
log('ok')
vim.cmd('qall!')
