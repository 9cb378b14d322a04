"use strict";
// Swagger UI with a picker for two specifications (SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"]["urls"]):
// Xuefa's API and allauth's headless login API. Log in with the second, then "Authorize" the first with
// the session token (docs/api.md, "Trying the API in Swagger UI"). Everything is served from this site.
const ui = SwaggerUIBundle({
  ...{{ settings|safe }},
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
  requestInterceptor: (request) => {
    // the browser client (session cookie) needs the CSRF header on unsafe requests to this site
    if (!["GET", undefined].includes(request.method) && request.credentials === "same-origin") {
      request.headers["{{ csrf_header_name }}"] = "{{ csrf_token }}";
    }
    return request;
  },
});
