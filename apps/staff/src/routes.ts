/** Page paths used in navigation; they must match app.config.ts. */
export const HOME_PAGE = '/pages/home/index';
