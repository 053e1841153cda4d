import { basename, sep } from 'node:path';

/** An absolute POSIX path inside a message, after a start, a space, a quote, '(' or '='. */
const ABSOLUTE_PATH = /(^|[\s'"(=])(\/[^\s'"()]+)/g;

/**
 * A message fit for a response body: no filesystem path of the server. Paths under `baseDir` (the
 * registry's folder) become relative to it, which is what an operator needs to find the file;
 * any other absolute path keeps its last segment only. Responses go to whoever can reach the
 * port; where the server keeps its files is none of their business (the log keeps the full text).
 */
export function withoutPaths(text: string, baseDir?: string): string {
  let out = text;
  if (baseDir) out = out.split(baseDir.endsWith(sep) ? baseDir : baseDir + sep).join('');
  return out.replace(ABSOLUTE_PATH, (_m, lead: string, path: string) => {
    const trailing = /[.,:;]+$/.exec(path)?.[0] ?? '';
    return lead + basename(path.slice(0, path.length - trailing.length)) + trailing;
  });
}
