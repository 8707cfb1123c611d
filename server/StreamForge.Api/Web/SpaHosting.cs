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

    /// <summary>The video id of a watch page's path (/watch/{id}, the SPA's route), else null.</summary>
    internal static Guid? WatchId(PathString path)
    {
        var value = path.Value ?? "";
        const string prefix = "/watch/";
        return value.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParseExact(value[prefix.Length..].TrimEnd('/'), "D", out var id) ? id : null;
    }

    /// <summary>
    /// Client-side routes (/watch/…, /admin) get index.html; unknown /api paths stay 404 problems. A watch page of a
    /// video whose link may unfurl gets its Open Graph tags in the head (<see cref="WatchPageMeta"/>).
    /// </summary>
    public static void MapSpaFallback(this WebApplication app)
    {
        if (Files(app.Services) is not { } files) return;
        app.MapFallback(async (HttpContext http) =>
        {
            if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/health"))
                return Results.Problem(statusCode: 404, title: "Not found", detail: $"No endpoint at {http.Request.Path}.");
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.CacheControl = "no-cache";
            var index = files.GetFileInfo("index.html");
            if (WatchId(http.Request.Path) is { } id
                && await http.RequestServices.GetRequiredService<WatchPages>().FindAsync(id, http.Request, http.RequestAborted) is { } facts)
            {
                using var reader = new StreamReader(index.CreateReadStream());
                await http.Response.WriteAsync(WatchPageMeta.Inject(await reader.ReadToEndAsync(http.RequestAborted), facts), http.RequestAborted);
                return Results.Empty;
            }

            await http.Response.SendFileAsync(index);
            return Results.Empty;
        });
    }
}
