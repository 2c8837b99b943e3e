// PostCSS for Next.js: Tailwind CSS 4 (app/globals.css imports its theme and utilities layers).
export default {
  plugins: { "@tailwindcss/postcss": {} },
};
