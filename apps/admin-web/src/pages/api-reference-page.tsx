// The API reference: the api's own OpenAPI document (GET /v1/openapi.json, generated from the routes' zod
// schemas) rendered by Scalar, so a host developer reads what this very server accepts. Loaded on demand:
// the renderer is large and no other page needs it.

import '@scalar/api-reference-react/style.css';
import { Anchor, Stack, Text, Title } from '@mantine/core';
import { ApiReferenceReact } from '@scalar/api-reference-react';

export const ApiReferencePage = () => (
  <Stack gap="xs">
    <Title order={2}>API reference</Title>
    <Text size="sm" c="dimmed">
      Generated from the schemas the api validates with. The raw document: <Anchor href="/v1/openapi.json">/v1/openapi.json</Anchor>.
    </Text>
    <div data-testid="api-reference">
      <ApiReferenceReact
        configuration={{
          url: '/v1/openapi.json',
          // Fonts from Scalar's CDN would break the content security policy (default-src 'self'); the page
          // uses the app's own fonts instead.
          withDefaultFonts: false,
          // Nothing leaves this server: no developer toolbar (it reaches Scalar's registry), no AI agent, no
          // telemetry.
          showDeveloperTools: 'never',
          agent: { disabled: true },
          telemetry: false,
          hideClientButton: true,
          hideDarkModeToggle: true,
          layout: 'modern',
        }}
      />
    </div>
  </Stack>
);
