/** The little of a markdown syntax tree (mdast) this plugin touches. */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/**
 * A remark plugin: raw HTML in model output (`<img src=x onerror=…>`, `<script>`) becomes the text it is, so the
 * person sees what the model wrote instead of it silently vanishing, and no element is ever made from it.
 */
export function remarkHtmlAsText() {
  const walk = (node: MdNode): void => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return walk;
}
