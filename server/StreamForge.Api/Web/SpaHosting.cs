using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace StreamForge.Api.Web;

public static class SpaHosting
{
    private static PhysicalFileProvider? Files(IServiceProvider services)
    {
        var path = services.GetRequiredService<IOptions<WebOptions>>().Value.DistPath;
        return string.IsNullOrWhiteSpace(path) || !Directory.Exists(path) ? null : new PhysicalFileProvider(Path.GetFullPath(path));
    }

    public static IApplicationBuilder UseSpaFiles(this WebApplication app)
    {
        if (Files(app.Services) is not { } files) return app;
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Vite fingerprints everything under assets/, so those never change; index.html must.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl =
                ctx.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
        });
    }

    /// <summary>Client-side routes (/watch/…, /admin) get index.html; unknown /api paths stay 404 problems.</summary>
    public static void MapSpaFallback(this WebApplication app)
    {
        if (Files(app.Services) is not { } files) return;
        app.MapFallback(async (HttpContext http) =>
        {
            if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/health"))
                return Results.Problem(statusCode: 404, title: "Not found", detail: $"No endpoint at {http.Request.Path}.");
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.CacheControl = "no-cache";
            await http.Response.SendFileAsync(files.GetFileInfo("index.html"));
            return Results.Empty;
        });
    }
}
