namespace StreamForge.Tests.Accounts;

/// <summary>Optional email confirmation (Auth:RequireEmailConfirmation): the mail, the link, and the upload gate.</summary>
[Collection(StackCollection.Name)]
public sealed class EmailConfirmationTests(StackFixture stack)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task When_required_an_unconfirmed_account_cannot_upload_until_it_follows_the_mailed_link()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(new Dictionary<string, string>
        {
            ["Email:Mode"] = "Outbox", ["Email:OutboxPath"] = outbox.Folder, ["Auth:RequireEmailConfirmation"] = "true",
        });
        var email = $"confirm{Guid.NewGuid():N}@example.com";
        // Sign-up signs nobody in here (see the next test); the new account signs in with its password.
        Assert.Equal(HttpStatusCode.Accepted, (await api.CreateClient().PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password })).StatusCode);
        var user = await api.LoginAsync(email, Password);
        // The client keeps the refresh cookie, whose path covers /api/v1/auth: writes there carry the CSRF header.
        user.DefaultRequestHeaders.Add("X-CSRF", "1");
        var me = await (await user.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.False(me.GetProperty("emailConfirmed").GetBoolean());
        Assert.True(me.GetProperty("emailConfirmationRequired").GetBoolean());

        var refused = await user.PostAsJsonAsync("/api/v1/uploads", new { fileName = "a.mp4", size = 1000, contentType = "video/mp4" });
        Assert.Contains("Confirm your email address", await refused.AssertProblemAsync(HttpStatusCode.Forbidden));

        var (link, token) = Outbox.LinkIn(await outbox.WaitForMailAsync(email));
        Assert.Contains("/confirm-email?token=", link);
        // A resend leaves the first link working (asking again must never void the link the owner holds).
        Assert.Equal(HttpStatusCode.Accepted, (await user.PostAsync("/api/v1/auth/confirm-email/resend", null)).StatusCode);
        var (_, newer) = Outbox.LinkIn(await outbox.WaitForMailAsync(email, count: 2));
        Assert.NotEqual(token, newer);
        var anonymous = api.CreateClient();

        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/confirm-email", new { token })).StatusCode);
        Assert.Contains("already used", await (await anonymous.PostAsJsonAsync("/api/v1/auth/confirm-email", new { token })).AssertProblemAsync(HttpStatusCode.BadRequest));
        me = await (await user.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.True(me.GetProperty("emailConfirmed").GetBoolean());
        await user.CreateUploadAsync(1000);
        await (await user.PostAsync("/api/v1/auth/confirm-email/resend", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        // The seeded admin needs no mail.
        var admin = await api.LoginAdminAsync(stack);
        Assert.True((await (await admin.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("emailConfirmed").GetBoolean());
        await admin.CreateUploadAsync(1000);
    }

    [Fact]
    public async Task When_required_signing_up_with_a_taken_address_answers_like_a_new_one_and_mails_the_owner_instead()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(new Dictionary<string, string>
        {
            ["Email:Mode"] = "Outbox", ["Email:OutboxPath"] = outbox.Folder, ["Auth:RequireEmailConfirmation"] = "true",
        });
        var anonymous = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        var owner = $"owner{Guid.NewGuid():N}@example.com";
        var fresh = $"fresh{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = owner, password = Password })).StatusCode);
        var (_, confirmation) = Outbox.LinkIn(await outbox.WaitForMailAsync(owner));
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/confirm-email", new { token = confirmation })).StatusCode);

        var taken = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = owner.ToUpperInvariant(), password = "the squatter's password" });
        var free = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = fresh.ToUpperInvariant(), password = "the squatter's password" });
        Assert.Equal(HttpStatusCode.Accepted, taken.StatusCode);
        Assert.Equal(free.StatusCode, taken.StatusCode);
        // The same words but for the address, which the caller typed anyway.
        Assert.Equal((await free.Content.ReadAsStringAsync()).Replace(fresh, "{email}"), (await taken.Content.ReadAsStringAsync()).Replace(owner, "{email}"));
        Assert.Equal(free.Headers.Select(h => h.Key).Order(), taken.Headers.Select(h => h.Key).Order());
        Assert.False(taken.Headers.Contains("Set-Cookie"));

        // The owner hears of it, with a way back in should they have forgotten the password; nothing else changed.
        var notice = await outbox.WaitForMailAsync(owner, count: 2);
        Assert.Contains("already", notice.Subject);
        var (link, _) = Outbox.LinkIn(notice);
        Assert.Contains("/reset-password?token=", link);
        await api.LoginAsync(owner, Password);
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = owner, password = "the squatter's password" })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Confirm", (await outbox.WaitForMailAsync(fresh)).Subject);
    }

    [Fact]
    public async Task By_default_nothing_is_mailed_on_sign_up_and_uploads_are_not_gated()
    {
        var outbox = Outbox.CreateTemporary();
        await using var api = stack.NewApi(new Dictionary<string, string> { ["Email:Mode"] = "Outbox", ["Email:OutboxPath"] = outbox.Folder });
        var email = $"noconfirm{Guid.NewGuid():N}@example.com";
        var user = await api.RegisterAsync(email, Password);
        var me = await (await user.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.False(me.GetProperty("emailConfirmed").GetBoolean());
        Assert.False(me.GetProperty("emailConfirmationRequired").GetBoolean());
        await user.CreateUploadAsync(1000);

        // A reset mail queued after the sign-up arrives; a confirmation mail would have been queued before it.
        await api.CreateClient().PostAsJsonAsync("/api/v1/auth/password-reset", new { email });
        var only = await new Outbox(outbox.Folder).WaitForMailAsync(email);
        Assert.Contains("password", only.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.Single(outbox.MailsTo(email));
    }
}
