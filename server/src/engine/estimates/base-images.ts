// Base image sizes. Only published figures, each with its source; anything else is unknown.
//   python:3.x (full, Debian with compilers and -dev libraries) ≈ 1 GB and python:3.x-slim
//   ≈ 130–150 MB: Docker Hub's python image pages (uncompressed, linux/amd64), as quoted in SPEC §1.
// The saving of full → slim is taken as 1 GB − 150 MB (the conservative end).

export interface BaseImageSaving {
  bytes: number | null;
  basis: string;
}

const MB = 1_000_000;

export function fullToSlimSaving(image: string): BaseImageSaving {
  if (/^(docker\.io\/)?(library\/)?python(:|$)/.test(image)) {
    return { bytes: 1000 * MB - 150 * MB, basis: 'python full ≈ 1 GB vs python slim ≈ 130–150 MB (Docker Hub, linux/amd64, uncompressed); the saving uses the conservative 150 MB.' };
  }
  return { bytes: null, basis: 'size difference unknown: no published figure for this image in slimdock\'s table.' };
}
