// placeholder: the client is being written
export function activate(): void {}
export function deactivate(): void {}
