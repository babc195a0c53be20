// placeholder: the CLI is being written
