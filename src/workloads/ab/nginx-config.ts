/** The generated nginx configuration now lives in ../common/nginx.ts (shared by the HTTP kinds); kept for importers. */
export { NGINX_TEMP_DIRS, nginxArgv, nginxConfig, type NginxConfigOptions } from '../common/nginx.js';
