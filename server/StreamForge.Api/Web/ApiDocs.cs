using StreamForge.Api.Auth;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.Web;

/// <summary>Swagger UI at /docs and the OpenAPI document: open in development, admins only elsewhere.</summary>
public static class ApiDocs
{
    public static IApplicationBuilder UseApiDocs(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            // Runs after authentication, so an admin signed in to the SPA (cookie) can read the docs.
            app.Use(async (http, next) =>
            {
                var docs = http.Request.Path.StartsWithSegments("/docs") || http.Request.Path.StartsWithSegments("/swagger");
                if (docs && !http.User.IsInRole(Roles.Admin))
                {
                    await Problems.Create(StatusCodes.Status404NotFound, "not-found", "Not found", "There is nothing at this address.").ExecuteAsync(http);
                    return;
                }
                await next();
            });
        }

        app.UseSwagger();
        return app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/swagger/v1/swagger.json", "StreamForge API v1");
        });
    }
}
