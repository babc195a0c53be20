// placeholder: the language server is being written
