using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.DirectUploads;

/// <summary>
/// Applies <see cref="DirectUploadAccessRule"/> to direct-upload principals, on every route (anonymous ones too:
/// a token is never a way around the rule). Runs right after authentication.
/// </summary>
public static class DirectUploadGate
{
    public static IApplicationBuilder UseDirectUploadGate(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.User.IsDirectUpload())
        {
            await next();
            return;
        }
        if (DirectUploadAccessRule.RouteRefusal(http.GetEndpoint()) is { } route)
        {
            await Problems.Create(StatusCodes.Status403Forbidden, "upload-link-scope", "Not allowed with an upload link", route).ExecuteAsync(http);
            return;
        }
        if (DirectUploadAccessRule.OriginRefusal(http) is { } origin)
        {
            await Problems.Create(StatusCodes.Status403Forbidden, "upload-link-origin", "Origin not allowed", origin).ExecuteAsync(http);
            return;
        }
        await next();
    });
}
