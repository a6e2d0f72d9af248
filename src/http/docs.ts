import { Scalar } from '@scalar/hono-api-reference';
import type { Hono } from 'hono';
import { openApiDocument } from './openapi.ts';

/** `/openapi.json` (built once, on first use) and a reader for it at `/docs`. */
export function docsRoutes(app: Hono, version: string) {
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get('/openapi.json', (c) => c.json((document ??= openApiDocument(version))));
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'bpa-turnus API' }));
}
