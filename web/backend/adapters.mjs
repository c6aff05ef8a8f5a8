// The backend in web frameworks. Express needs no adapter: app.use(backend) (before any body
// parser, or after one: a parsed body is taken from req.body). Fastify parses bodies itself and
// has its own request objects: this plugin hands the backend the raw node:http pair, with the
// body stream left unread, for the routes under backend.path.
//   fastify.register(fastifyBackend(backend));
export function fastifyBackend(backend) {
  return async function oauthWasmBackend(fastify) {
    // In this plugin's encapsulated context only: bodies stay unread for the backend.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (request, payload, done) => done(null));
    fastify.all(`${backend.path}/*`, async (request, reply) => {
      reply.hijack();
      await backend(request.raw, reply.raw);
    });
  };
}
