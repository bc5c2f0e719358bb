/** HCL (Terraform) for JupyterLab's languages: a CodeMirror stream mode, so the Terraform export
 * is highlighted like the other formats (and `main.tf` in an editor tab too). */

import {
  EditorLanguageRegistry,
  IEditorLanguageRegistry
} from '@jupyterlab/codemirror';

/** CodeMirror's StreamParser and StringStream, as JupyterLab's `legacy()` takes them. */
type LegacyParser = Parameters<typeof EditorLanguageRegistry.legacy>[0];
type Stream = Parameters<LegacyParser['token']>[0];

/** Where the tokenizer is: in a quoted string, in a `${ }` / `%{ }` inside one, or in braces
 * inside that (the innermost last); in a block comment. */
interface IHclState {
  stack: ('string' | 'template' | 'brace')[];
  comment: boolean;
}

const BLOCKS =
  /^(terraform|resource|data|variable|output|locals|module|provider|import|moved|removed|check|required_providers|lifecycle|dynamic|backend|provisioner|connection|validation)$/;
const TYPES = /^(string|number|bool|any|list|map|set|object|tuple)$/;
const ATOMS = /^(true|false|null)$/;

function inString(stream: Stream, state: IHclState): string {
  if (stream.match('$${') || stream.match('%%{')) {
    return 'string';
  }
  if (stream.match('${') || stream.match('%{')) {
    state.stack.push('template');
    return 'meta';
  }
  if (stream.eat('\\')) {
    const kind = stream.next();
    if (kind === 'u') {
      stream.match(/^[0-9a-fA-F]{4}/);
    } else if (kind === 'U') {
      stream.match(/^[0-9a-fA-F]{8}/);
    }
    return 'string.special';
  }
  if (stream.eat('"')) {
    state.stack.pop();
    return 'string';
  }
  stream.next();
  stream.eatWhile(/[^"\\$%]/);
  return 'string';
}

function token(stream: Stream, state: IHclState): string | null {
  const top = state.stack[state.stack.length - 1];
  if (top === 'string') {
    return inString(stream, state);
  }
  if (state.comment) {
    state.comment = !stream.skipTo('*/');
    if (state.comment) {
      stream.skipToEnd();
    } else {
      stream.match('*/');
    }
    return 'comment';
  }
  if (stream.eatSpace()) {
    return null;
  }
  if (stream.match('#') || stream.match('//')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match('/*')) {
    state.comment = true;
    return 'comment';
  }
  if (stream.eat('"')) {
    state.stack.push('string');
    return 'string';
  }
  if (top && stream.eat('{')) {
    state.stack.push('brace');
    return 'bracket';
  }
  if (top && stream.eat('}')) {
    state.stack.pop();
    return top === 'template' ? 'meta' : 'bracket';
  }
  if (stream.match(/^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
    return 'number';
  }
  const word = stream.match(/^[A-Za-z_][A-Za-z0-9_-]*/);
  if (word && typeof word !== 'boolean') {
    const text = word[0];
    const first = stream.string.slice(0, stream.start).trim() === '';
    if (first && BLOCKS.test(text) && stream.match(/^\s*("|\{)/, false)) {
      return 'keyword';
    }
    if (first && stream.match(/^\s*=(?!=)/, false)) {
      return 'propertyName';
    }
    if (ATOMS.test(text)) {
      return 'atom';
    }
    if (TYPES.test(text)) {
      return 'typeName';
    }
    return 'variableName';
  }
  if (stream.match(/^(==|!=|<=|>=|&&|\|\||=>|[=<>!?:+\-*/%])/)) {
    return 'operator';
  }
  stream.next();
  return 'bracket';
}

/** The stream mode: the start state, the tokenizer, and comment tokens for the editor. */
export const hclMode = {
  name: 'hcl',
  startState: () => ({ stack: [], comment: false }),
  copyState: (state: IHclState) => ({
    stack: [...state.stack],
    comment: state.comment
  }),
  token,
  languageData: {
    commentTokens: { line: '#', block: { open: '/*', close: '*/' } }
  }
};

/** Add HCL (`.tf`, `.hcl`, `.tfvars`) to the registry unless something already provides it. */
export function registerHcl(languages: IEditorLanguageRegistry): void {
  if (languages.findByName('hcl') || languages.findByExtension('tf')) {
    return;
  }
  languages.addLanguage({
    name: 'HCL',
    displayName: 'HCL (Terraform)',
    alias: ['terraform', 'tf'],
    mime: 'text/x-hcl',
    extensions: ['tf', 'hcl', 'tfvars'],
    load: async () =>
      EditorLanguageRegistry.legacy(hclMode as unknown as LegacyParser)
  });
}
