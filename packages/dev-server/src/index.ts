export { API_PREFIX, type H5Server, type H5ServerOptions, serveH5 } from './static-server.ts';
