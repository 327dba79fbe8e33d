// The official MCP TypeScript SDK's client over Streamable HTTP against a compute gateway's /mcp:
// initialize, tools/list, tools/call of list_services and get_balance, a business error that
// comes back as a tool error (isError) and an unknown tool as a JSON-RPC error, neither a hang.
//
//   node mcp-check.mjs --url http://127.0.0.1:8090/mcp [--provider 0x…]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { args, check, run } from './common.mjs';

const opt = args({ url: { type: 'string' }, provider: { type: 'string' } }, ['url']);
const TIMEOUT = { timeout: 20_000 }; // per request: an unanswered call fails instead of hanging

run(async () => {
  const client = new Client({ name: 'axivon-mcp-check', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(opt.url));
  await client.connect(transport, TIMEOUT);
  const server = client.getServerVersion();
  check(server?.name, `initialize returned no server info: ${JSON.stringify(server)}`);
  check(client.getServerCapabilities()?.tools !== undefined, 'server does not declare the tools capability');
  check(transport.sessionId?.length > 0, 'no Mcp-Session-Id');

  const { tools } = await client.listTools({}, TIMEOUT);
  const names = tools.map((t) => t.name).sort();
  for (const want of ['call_service', 'describe_service', 'get_balance', 'list_services']) {
    check(names.includes(want), `tools/list lacks ${want}: ${names}`);
  }

  const listed = await client.callTool({ name: 'list_services', arguments: {} }, undefined, TIMEOUT);
  check(!listed.isError, `list_services is a tool error: ${JSON.stringify(listed.content)}`);
  const services = listed.structuredContent?.services;
  check(Array.isArray(services) && services.length > 0, `list_services: ${JSON.stringify(listed.structuredContent)}`);
  if (opt.provider !== undefined) {
    check(
      services.some((s) => String(s.provider).toLowerCase() === opt.provider.toLowerCase()),
      `list_services lacks provider ${opt.provider}`,
    );
  }
  check(listed.content?.[0]?.type === 'text' && JSON.parse(listed.content[0].text), 'list_services text content');

  const balance = await client.callTool({ name: 'get_balance', arguments: {} }, undefined, TIMEOUT);
  check(!balance.isError, `get_balance is a tool error: ${JSON.stringify(balance.content)}`);
  check(balance.structuredContent && typeof balance.structuredContent === 'object', 'get_balance structuredContent');

  // a provider that sells nothing: a business error, answered as a tool error
  const missing = await client.callTool(
    { name: 'describe_service', arguments: { provider: '0x' + '00'.repeat(19) + '01', service: 'none' } },
    undefined,
    TIMEOUT,
  );
  check(missing.isError === true, `describe_service of an unknown service: ${JSON.stringify(missing)}`);
  const message = missing.content?.[0]?.text ?? '';
  check(message.length > 0, 'the tool error has no text');

  let unknownTool;
  try {
    await client.callTool({ name: 'no_such_tool', arguments: {} }, undefined, TIMEOUT);
  } catch (e) {
    unknownTool = e;
  }
  check(unknownTool instanceof McpError, `an unknown tool: expected an McpError, got ${unknownTool}`);

  await transport.terminateSession();
  await client.close();
  return {
    server,
    protocolVersion: transport.protocolVersion,
    tools: names,
    services: services.length,
    balance: balance.structuredContent,
    toolError: message,
    unknownToolCode: unknownTool.code,
  };
});
