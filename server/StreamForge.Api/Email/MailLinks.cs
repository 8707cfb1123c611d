using Microsoft.Extensions.Options;

namespace StreamForge.Api.Email;

/// <summary>Builds the links mails carry. Never from the request's Host header outside Development: a forged Host
/// would send the victim a reset link to the attacker's site.</summary>
public sealed class MailLinks(IOptions<AppOptions> app, IHostEnvironment env)
{
    /// <summary>The base to put in links, or null when none is configured and this is not Development.</summary>
    public string? BaseUrl(HttpRequest request)
    {
        if (!string.IsNullOrWhiteSpace(app.Value.PublicUrl)) return app.Value.PublicUrl.TrimEnd('/');
        return env.IsDevelopment() ? $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/') : null;
    }
}
