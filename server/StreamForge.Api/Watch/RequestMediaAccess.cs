using Microsoft.Extensions.Options;
using StreamForge.Api.Email;
using StreamForge.Core.Playback;

namespace StreamForge.Api.Watch;

/// <summary>
/// The current request's <see cref="MediaAccess"/>: the signed-in caller (or anonymous) and the API's origin (App:PublicUrl,
/// else the request's own). A share link narrows it for the rest of its request (<see cref="Narrow"/>).
/// </summary>
public sealed class RequestMediaAccess(IHttpContextAccessor http, IOptions<AppOptions> app) : IMediaAccessContext
{
    private static readonly object Key = new();

    public MediaAccess? Current
    {
        get
        {
            if (http.HttpContext is not { } context) return null;
            if (context.Items[Key] is MediaAccess narrowed) return narrowed;
            return new MediaAccess(Viewer(context), Origin(context.Request));
        }
    }

    /// <summary>Tokens made in the rest of this request expire no later than <paramref name="notAfter"/> (a share link's end).</summary>
    public void Narrow(HttpContext context, DateTimeOffset notAfter) =>
        context.Items[Key] = new MediaAccess(Viewer(context), Origin(context.Request), notAfter);

    private static Guid? Viewer(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && Guid.TryParse(context.User.FindFirst("sub")?.Value, out var id) ? id : null;

    private string Origin(HttpRequest request)
    {
        var configured = app.Value.PublicUrl;
        return string.IsNullOrWhiteSpace(configured) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : configured.TrimEnd('/');
    }
}
