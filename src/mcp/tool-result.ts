// An MCP tool's result as the text the model reads: text content as it is,
// anything else (images, audio, resources) described in a line, since the
// model reads text only.

export interface McpContent {
  type: string;
  text?: string;
  mimeType?: string;
  data?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; mimeType?: string; text?: string; blob?: string };
}

export function contentText(content: readonly McpContent[] | undefined, structured?: unknown): string {
  const parts = (content ?? []).map(describeContent);
  if (parts.length === 0 && structured !== undefined) parts.push(JSON.stringify(structured, null, 2));
  return parts.join('\n');
}

function describeContent(item: McpContent): string {
  switch (item.type) {
    case 'text':
      return item.text ?? '';
    case 'image':
    case 'audio':
      return `[${item.type} ${item.mimeType ?? ''}, ${approximateBytes(item.data)} — not shown to the model]`;
    case 'resource': {
      const resource = item.resource ?? {};
      if (typeof resource.text === 'string') return `[resource ${resource.uri ?? ''}]\n${resource.text}`;
      return `[resource ${resource.uri ?? ''} ${resource.mimeType ?? ''}, binary — not shown to the model]`;
    }
    case 'resource_link':
      return `[resource link ${item.uri ?? ''}${item.name ? ` (${item.name})` : ''}]`;
    default:
      return `[${item.type} content — not shown to the model]`;
  }
}

function approximateBytes(base64: string | undefined): string {
  const bytes = Math.floor(((base64 ?? '').length * 3) / 4);
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}
