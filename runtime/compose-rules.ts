import { z } from 'zod';

/** The parts of a resolved Compose project (compose-go's JSON) that the rules below read. */
export const resolvedProjectSchema = z.object({
  services: z.record(
    z.string(),
    z.object({
      image: z.string().optional(),
      build: z.object({ context: z.string() }).optional(),
      environment: z.record(z.string(), z.string().nullable()).nullable().optional(),
    }),
  ),
});
export type ResolvedProject = z.infer<typeof resolvedProjectSchema>;

export interface ComposeExpectations {
  /** Variables Recontact's configuration schema knows (config/config.ts). */
  knownVariables: ReadonlySet<string>;
  /** package.json's version: the tag the Recontact image is built as. */
  recontactVersion: string;
  /** The repository image name of Recontact's own services. */
  recontactImage: string;
}

/** A tag that names one release: digits and dots (optionally a suffix), or a digest. Never `latest`. */
const PINNED_TAG = /^\d+(\.\d+)+([-.][A-Za-z0-9.-]+)?$/;

/**
 * What CI demands of docker-compose.yml beyond the Compose specification: every image pinned to
 * a release, Recontact's image tagged with the package version, and every variable set on a
 * Recontact service one the configuration schema knows (a misspelt variable would be ignored
 * silently). Returns the problems, empty when the file passes.
 */
export function composeProblems(project: ResolvedProject, expect: ComposeExpectations): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(project.services)) {
    const image = service.image;
    if (image === undefined) {
      problems.push(`${name}: no image (every service names a pinned image)`);
      continue;
    }
    const digest = image.includes('@sha256:');
    const tag = digest ? undefined : image.slice(image.lastIndexOf(':') + 1);
    if (!digest && (!image.slice(image.lastIndexOf('/') + 1).includes(':') || !PINNED_TAG.test(tag ?? ''))) {
      problems.push(`${name}: image ${image} is not pinned to a release tag or digest`);
    }
    const isRecontact = image.split(':')[0] === expect.recontactImage;
    if (!isRecontact) continue;
    if (tag !== expect.recontactVersion) {
      problems.push(
        `${name}: image ${image} is not tagged with package.json's version ${expect.recontactVersion}`,
      );
    }
    if (service.build === undefined)
      problems.push(`${name}: Recontact's image must be buildable here (build: .)`);
    for (const variable of Object.keys(service.environment ?? {})) {
      if (!expect.knownVariables.has(variable)) {
        problems.push(`${name}: ${variable} is not a Recontact setting (config/config.ts)`);
      }
    }
  }
  return problems;
}
