import { PullError } from './PullError';

/** Hugging Face's host, or a mirror (the `HF_ENDPOINT` convention of huggingface_hub, which node-llama-cpp reads too). */
export const defaultHfEndpoint = 'https://huggingface.co';

export interface ResolvedDownload {
  /** The http(s) URL to fetch. */
  url: string;
  /** The file's own name (the URL's last segment), e.g. `Llama-3.2-1B-Instruct-Q4_K_M.gguf`. */
  fileName: string;
}

/**
 * `hf:<owner>/<repo>/<path>.gguf[#<branch>]` → `<endpoint>/<owner>/<repo>/resolve/<branch|main>/<path>`, the URL
 * Hugging Face serves a repository file from (the same mapping node-llama-cpp makes); http(s) URLs pass through.
 * Pure.
 */
export function resolveDownloadUri(uri: string, hfEndpoint: string = defaultHfEndpoint): ResolvedDownload {
  const hf = /^hf:([^/\s]+)\/([^/\s]+)\/([^#\s]+\.gguf)(?:#([^\s#]+))?$/i.exec(uri);
  if (hf) {
    const [, owner = '', repo = '', filePath = '', branch = 'main'] = hf;
    const encodedPath = filePath.split('/').map(encodeURIComponent).join('/');
    const base = hfEndpoint.replace(/\/+$/, '');
    return {
      url: `${base}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/resolve/${encodeURIComponent(branch)}/${encodedPath}`,
      fileName: lastSegment(filePath),
    };
  }
  if (/^hf:/i.test(uri)) {
    throw new PullError('unknown', `"${uri}" is not a Hugging Face file URI: write hf:<owner>/<repo>/<file>.gguf`);
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new PullError(
      'unknown',
      `"${uri}" is neither a model key with a download nor a URI (hf:<owner>/<repo>/<file>.gguf or https://…)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PullError('unknown', `"${uri}": Mai downloads over http(s) or from hf:<owner>/<repo>/<file>.gguf`);
  }
  const fileName = lastSegment(decodeURIComponent(url.pathname));
  if (!/\.gguf$/i.test(fileName)) {
    throw new PullError('unknown', `"${uri}" does not name a .gguf file; Mai's engines read GGUF models`);
  }
  return { url: url.href, fileName };
}

function lastSegment(filePath: string): string {
  return (
    filePath
      .split('/')
      .filter((part) => part !== '')
      .pop() ?? filePath
  );
}

/** Whether a `mai pull` argument is a URI rather than a model key (keys never carry a scheme). Pure. */
export function looksLikeUri(text: string): boolean {
  return /^hf:/i.test(text) || /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}
