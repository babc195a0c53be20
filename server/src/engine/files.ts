// Which files slimdock reads, by name.

/** `Dockerfile`, `Dockerfile.prod`, `prod.Dockerfile`, `Containerfile` (any case of the stem). */
export function isDockerfileName(name: string): boolean {
  return (/^(dockerfile|containerfile)(\.[^/]+)?$/i.test(name) && !/\.dockerignore$/i.test(name)) || /\.(dockerfile|containerfile)$/i.test(name);
}

export function isRequirementsName(name: string): boolean {
  return /^requirements.*\.(txt|in)$/i.test(name) || /\.requirements\.txt$/i.test(name);
}
