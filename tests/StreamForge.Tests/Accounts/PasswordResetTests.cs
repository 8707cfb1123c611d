using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace StreamForge.Tests.Accounts;

/// <summary>
/// Password reset end to end: the API writes real mails into a dev outbox folder, the test opens them, takes the
/// link and uses it, as a user would.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PasswordResetTests(StackFixture stack)
{
    private const string Password = "correct horse battery";
    private const string NewPassword = "a brand new secret";

    private static Dictionary<string, string> OutboxSettings(Outbox outbox, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string> { ["Email:Mode"] = "Outbox", ["Email:OutboxPath"] = outbox.Folder };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    private static HttpClient Anonymous(ApiFactory api) => api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

    private static Task<HttpResponseMessage> RequestResetAsync(HttpClient client, string email) =>
        client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email });

    private static Task<HttpResponseMessage> ConfirmAsync(HttpClient client, string token, string newPassword = NewPassword) =>
        client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword });

    private static string NewEmail(string prefix) => $"{prefix}{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task A_reset_link_sets_a_new_password_once_and_ends_every_session()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(OutboxSettings(outbox));
        var email = NewEmail("reset");
        await api.RegisterAsync(email, Password);
        var login = await Anonymous(api).PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        var refresh = RefreshCookie(login) ?? throw new InvalidOperationException("login set no refresh cookie");

        var anonymous = Anonymous(api);
        Assert.Equal(HttpStatusCode.Accepted, (await RequestResetAsync(anonymous, email.ToUpperInvariant())).StatusCode);
        var mail = await outbox.WaitForMailAsync(email);
        Assert.Contains("password", mail.Subject, StringComparison.OrdinalIgnoreCase);
        var (link, token) = Outbox.LinkIn(mail);
        Assert.Contains("/reset-password?token=", link);
        Assert.Contains(link, mail.HtmlBody);
        Assert.Equal(43, token.Length); // 32 random bytes, base64url

        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmAsync(anonymous, token)).StatusCode);
        var again = await ConfirmAsync(anonymous, token, "yet another password");
        Assert.Contains("already used", await again.AssertProblemAsync(HttpStatusCode.BadRequest));

        await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await api.LoginAsync(email, NewPassword);
        // The session that existed before the reset is gone.
        await (await RefreshAsync(api, refresh)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Known_and_unknown_addresses_get_the_same_answer_and_only_accounts_get_mail()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(OutboxSettings(outbox));
        var known = NewEmail("known");
        var unknown = NewEmail("unknown");
        await api.RegisterAsync(known, Password);
        var anonymous = Anonymous(api);

        var forUnknown = await RequestResetAsync(anonymous, unknown);
        var forKnown = await RequestResetAsync(anonymous, known);
        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(await forUnknown.Content.ReadAsStringAsync(), await forKnown.Content.ReadAsStringAsync());
        Assert.Equal(forUnknown.Content.Headers.ContentType, forKnown.Content.Headers.ContentType);
        Assert.Equal(forUnknown.Headers.Select(h => h.Key).Order(), forKnown.Headers.Select(h => h.Key).Order());

        // Mail work runs in order: once the known address has its mail, the unknown one was handled before it.
        await outbox.WaitForMailAsync(known);
        Assert.Empty(outbox.MailsTo(unknown));
    }

    [Fact]
    public async Task A_newer_request_leaves_the_earlier_link_working_and_a_completed_reset_voids_the_rest()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(OutboxSettings(outbox));
        var email = NewEmail("twice");
        await api.RegisterAsync(email, Password);
        var anonymous = Anonymous(api);

        await RequestResetAsync(anonymous, email);
        var (_, first) = Outbox.LinkIn(await outbox.WaitForMailAsync(email));
        // Anyone may ask again for this address; that must not void the owner's link.
        await RequestResetAsync(anonymous, email);
        var (_, second) = Outbox.LinkIn(await outbox.WaitForMailAsync(email, count: 2));
        Assert.NotEqual(first, second);

        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmAsync(anonymous, first)).StatusCode);
        Assert.Contains("completed password reset made it void", await (await ConfirmAsync(anonymous, second, "yet another password")).AssertProblemAsync(HttpStatusCode.BadRequest));
        await api.LoginAsync(email, NewPassword);
    }

    [Fact]
    public async Task An_expired_link_and_a_made_up_one_are_refused_with_a_reason()
    {
        var outbox = Outbox.CreateTemporary();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = stack.NewApi(OutboxSettings(outbox), clock: clock);
        var email = NewEmail("expiry");
        await api.RegisterAsync(email, Password);
        var anonymous = Anonymous(api);

        await RequestResetAsync(anonymous, email);
        var (_, token) = Outbox.LinkIn(await outbox.WaitForMailAsync(email));
        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Contains("expired", await (await ConfirmAsync(anonymous, token)).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("not valid", await (await ConfirmAsync(anonymous, "made-up-token")).AssertProblemAsync(HttpStatusCode.BadRequest));
        await api.LoginAsync(email, Password); // nothing changed
    }

    [Fact]
    public async Task Strangers_using_up_the_mail_allowance_never_leave_the_owner_without_a_working_link()
    {
        var outbox = Outbox.CreateTemporary();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = stack.NewApi(OutboxSettings(outbox, new() { ["Auth:AccountMailsPerAddressPerHour"] = "2" }), clock: clock);
        var owner = NewEmail("owner");
        var marker = NewEmail("marker");
        await api.RegisterAsync(owner, Password);
        await api.RegisterAsync(marker, Password);
        var stranger = Anonymous(api);

        // Mail work runs in order: once the marker's mail is there, every request before it was handled.
        async Task SettledAsync(int markerMails)
        {
            await RequestResetAsync(stranger, marker);
            await outbox.WaitForMailAsync(marker, markerMails);
        }

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Accepted, (await RequestResetAsync(stranger, owner)).StatusCode);
        await SettledAsync(1);
        // The allowance is used up, but the two links sent are both still good: the owner's inbox holds a way in.
        Assert.Equal(2, outbox.MailsTo(owner).Count);

        // Once those links have expired, the owner's own request gets a mail although the hour is not over.
        clock.Advance(TimeSpan.FromMinutes(31));
        await RequestResetAsync(Anonymous(api), owner);
        var (_, token) = Outbox.LinkIn(await outbox.WaitForMailAsync(owner, count: 3));
        // While that link works, more requests send nothing.
        await RequestResetAsync(stranger, owner);
        await SettledAsync(2);
        Assert.Equal(3, outbox.MailsTo(owner).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmAsync(Anonymous(api), token)).StatusCode);
        await api.LoginAsync(owner, NewPassword);
    }

    [Fact]
    public async Task Reset_requests_are_limited_per_client_address_and_mails_per_account()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(OutboxSettings(outbox, new()
        {
            ["Auth:AccountMailRequestsPerMinute"] = "3",
            ["Auth:AccountMailsPerAddressPerHour"] = "1",
        }));
        var victim = NewEmail("victim");
        var other = NewEmail("other");
        await api.RegisterAsync(victim, Password);
        await api.RegisterAsync(other, Password);
        var anonymous = Anonymous(api);

        Assert.Equal(HttpStatusCode.Accepted, (await RequestResetAsync(anonymous, victim)).StatusCode);
        // Over the per-account cap: the same answer, but no second mail.
        Assert.Equal(HttpStatusCode.Accepted, (await RequestResetAsync(anonymous, victim)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await RequestResetAsync(anonymous, other)).StatusCode);
        var fourth = await RequestResetAsync(anonymous, other);
        Assert.Contains("password reset requests", await fourth.AssertProblemAsync(HttpStatusCode.TooManyRequests));
        Assert.Equal("60", fourth.Headers.RetryAfter?.ToString());

        await outbox.WaitForMailAsync(other);
        Assert.Single(outbox.MailsTo(victim));
    }

    [Fact]
    public async Task The_outbox_is_served_in_development_and_links_use_the_configured_public_url()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(OutboxSettings(outbox, new() { ["App:PublicUrl"] = "https://video.example/" }));
        var email = NewEmail("listed");
        await api.RegisterAsync(email, Password);
        var anonymous = Anonymous(api);
        await RequestResetAsync(anonymous, email);
        var (link, _) = Outbox.LinkIn(await outbox.WaitForMailAsync(email));
        Assert.StartsWith("https://video.example/reset-password?token=", link);

        var list = await anonymous.GetAsync("/dev/outbox");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var html = await list.Content.ReadAsStringAsync();
        Assert.Contains(email, html);
        var mailPage = System.Text.RegularExpressions.Regex.Match(html, @"/dev/outbox/[0-9a-f-]+\.html").Value;
        var page = await anonymous.GetAsync(mailPage);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(link), await page.Content.ReadAsStringAsync());
        // Only the outbox's own file names: no way out of the folder.
        await (await anonymous.GetAsync("/dev/outbox/..%2F..%2Fetc%2Fpasswd")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Production_never_serves_the_outbox()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(OutboxSettings(outbox, new()
        {
            ["Auth:AdminPassword"] = "an operator secret",
            ["App:PublicUrl"] = "https://video.example",
        }), "Production");
        var email = NewEmail("prod");
        var anonymous = Anonymous(api);
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password })).StatusCode);
        await RequestResetAsync(anonymous, email);
        await outbox.WaitForMailAsync(email); // allowed (with a start-up warning), but only on disk

        await (await anonymous.GetAsync("/dev/outbox")).AssertProblemAsync(HttpStatusCode.NotFound);
        var file = Path.GetFileName(Directory.EnumerateFiles(outbox.Folder, "*.html").First());
        await (await anonymous.GetAsync($"/dev/outbox/{file}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    internal static string? RefreshCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(v => v.StartsWith("sf_refresh=", StringComparison.Ordinal)).Select(v => v["sf_refresh=".Length..v.IndexOf(';')]).FirstOrDefault()
            : null;

    private static async Task<HttpResponseMessage> RefreshAsync(ApiFactory api, string token)
    {
        using var client = Anonymous(api);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh");
        request.Headers.Add("Cookie", $"sf_refresh={token}");
        request.Headers.Add("X-CSRF", "1");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
