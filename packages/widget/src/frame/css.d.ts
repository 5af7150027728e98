// Vite bundles imported stylesheets into the panel's hashed CSS file.
declare module '*.css';
