// Starts `server` on 127.0.0.1:`port` (0: a free port); resolves to the port it got, rejects when
// the port is taken.
export function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}
