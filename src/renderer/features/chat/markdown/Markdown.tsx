import { memo, type ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './CodeBlock';
import { remarkHtmlAsText } from './htmlAsText';
import './markdown.css';

/**
 * Model output as markdown with GitHub's extensions (tables, task lists, strikethrough, autolinks), code blocks
 * highlighted. Model output is untrusted: raw HTML in it is shown as the text it is (htmlAsText.ts; without rehype-raw
 * react-markdown never makes elements of it either), and rehype-sanitize (GitHub's schema) runs on the tree as a
 * second wall, so nothing a model writes can add a script, a handler or a frame. Highlighting comes after sanitising
 * so its class names survive.
 */
const remarkPlugins: ComponentProps<typeof ReactMarkdown>['remarkPlugins'] = [remarkGfm, remarkHtmlAsText];
const rehypePlugins: ComponentProps<typeof ReactMarkdown>['rehypePlugins'] = [
  [rehypeSanitize, defaultSchema],
  // Only blocks that name their language: guessing one for plain text colours prose at random.
  [rehypeHighlight, { detect: false }],
];

const components: Components = {
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  // A link opens outside Mai's window; the page itself never navigates away.
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  // No image a model names is fetched (the CSP would refuse most anyway): its description stands in.
  img: ({ alt }) => <span className="markdown-image">[image{alt ? `: ${alt}` : ''}]</span>,
};

/** One message's text as markdown; memoised, so a message whose text did not change is not parsed again. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
