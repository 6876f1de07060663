-- A minimal Neovim (0.7+) configuration that runs container-privilege-lint's language server
-- over stdio for YAML (Compose, Kubernetes), Dockerfiles and devcontainer.json. Used by
-- nvim.test.ts; CPL_SERVER is the path of dist/server.js.
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.cmd('filetype on')

local server = os.getenv('CPL_SERVER') or 'container-privilege-lint-server'
local cmd = server:match('%.js$') and { 'node', server, '--stdio' } or { server, '--stdio' }
local client_id

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'yaml', 'yaml.docker-compose', 'dockerfile', 'json', 'jsonc' },
  callback = function(args)
    if not client_id then
      client_id = vim.lsp.start_client({
        name = 'container-privilege-lint',
        cmd = cmd,
        root_dir = vim.fn.getcwd(),
        settings = { containerPrivilegeLint = { scanOnStartup = true } },
      })
    end
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})
