import { describe, expect, it } from 'vitest';
import { normalizeEndpoint } from '../../src/model/endpoint.js';

describe('normalizeEndpoint', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/v1'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/v1'],
    ['localhost:11434', 'http://localhost:11434/v1'],
    ['http://localhost:11434/v1/', 'http://localhost:11434/v1'],
    ['https://gpu-box.lan/v1', 'https://gpu-box.lan/v1'],
    ['http://host:8000/v1/chat/completions', 'http://host:8000/v1'],
    ['http://host/openai/v1//', 'http://host/openai/v1'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEndpoint(input)).toBe(expected);
  });

  it('says what a usable endpoint looks like when given garbage', () => {
    expect(() => normalizeEndpoint('http://')).toThrow('"http://" is not a URL; use one like http://127.0.0.1:8080/v1');
    expect(() => normalizeEndpoint('http://[::1')).toThrow('"http://[::1" is not a URL');
    expect(() => normalizeEndpoint('ftp://x')).toThrow(
      'uses ftp://, but the server is reached over http:// or https://',
    );
    expect(() => normalizeEndpoint('http://127.0.0.1:99999/v1')).toThrow(
      'has port 99999, but ports go from 1 to 65535',
    );
    expect(normalizeEndpoint('http://[::1]:65535')).toBe('http://[::1]:65535/v1');
  });
});
