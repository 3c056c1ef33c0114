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
    expect(() => normalizeEndpoint('http://')).toThrow(
      '--endpoint "http://" is not a URL; use one like http://127.0.0.1:8080/v1',
    );
    expect(() => normalizeEndpoint('ftp://x')).toThrow('must start with http:// or https://');
  });
});
