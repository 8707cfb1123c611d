using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using StreamForge.Core.Storage;
using StreamForge.Tests.Keys;

namespace StreamForge.Tests.Api;

/// <summary>
/// Bad requests over every endpoint, one table: each gets the documented status with problem+json (never a
/// 500), and the rows and stored objects counted before and after prove nothing was created, changed in
/// number, or lost.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BadRequestMatrixTests(StackFixture stack) : IAsyncLifetime
{
    private readonly ApiFactory _api = stack.Api;
    private readonly Dictionary<string, HttpClient> _callers = [];
    private readonly Dictionary<string, string> _ids = [];

    /// <param name="Caller">user (owner of the fixtures), other (a second user), admin, anon.</param>
    /// <param name="Path">May name fixtures: {active} multipart upload with part 1 signed, {single} pending single upload,
    /// {completed} completed upload, {forged} upload whose recorded ETag is forged, {deleted} a deleted video,
    /// {others} the other user's upload, {user} the owner's user id, {random} an id nobody has.</param>
    /// <param name="Body">Raw request body (sent as application/json unless <paramref name="ContentType"/> says otherwise).</param>
    public sealed record Case(string Name, string Caller, string Method, string Path, string? Body, HttpStatusCode Status, string? Detail = null, string? ContentType = null)
    {
        public override string ToString() => Name;
    }

    private static readonly string LongText = new('x', 1_000_000);
    private const string ValidVtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n";

    public static readonly Case[] Cases =
    [
        // accounts
        new("register: malformed JSON", "anon", "POST", "/api/v1/auth/register", "{\"email\":", HttpStatusCode.BadRequest, "JSON"),
        new("register: body is an array", "anon", "POST", "/api/v1/auth/register", "[]", HttpStatusCode.BadRequest),
        new("register: email missing", "anon", "POST", "/api/v1/auth/register", """{"password":"long enough"}""", HttpStatusCode.BadRequest, "email"),
        new("register: email is a number", "anon", "POST", "/api/v1/auth/register", """{"email":123,"password":"long enough"}""", HttpStatusCode.BadRequest, "JSON"),
        new("register: not an address", "anon", "POST", "/api/v1/auth/register", """{"email":"not-an-email","password":"long enough"}""", HttpStatusCode.BadRequest, "email"),
        new("register: control character in email", "anon", "POST", "/api/v1/auth/register", """{"email":"a\u0000b@example.com","password":"long enough"}""", HttpStatusCode.BadRequest, "email"),
        new("register: 300-character email", "anon", "POST", "/api/v1/auth/register", $$"""{"email":"{{new string('a', 290)}}@example.com","password":"long enough"}""", HttpStatusCode.BadRequest, "254"),
        new("register: short password", "anon", "POST", "/api/v1/auth/register", """{"email":"short@example.com","password":"short"}""", HttpStatusCode.BadRequest, "8 characters"),
        new("register: 201-character password", "anon", "POST", "/api/v1/auth/register", $$"""{"email":"long@example.com","password":"{{new string('p', 201)}}"}""", HttpStatusCode.BadRequest, "200"),
        new("register: megabyte password", "anon", "POST", "/api/v1/auth/register", $$"""{"email":"huge@example.com","password":"{{LongText}}"}""", HttpStatusCode.BadRequest, "200"),
        new("login: wrong password", "anon", "POST", "/api/v1/auth/login", """{"email":"{owner-email}","password":"wrong password"}""", HttpStatusCode.Unauthorized, "wrong"),
        new("login: unknown account", "anon", "POST", "/api/v1/auth/login", """{"email":"nobody@example.com","password":"whatever long"}""", HttpStatusCode.Unauthorized, "wrong"),
        new("login: fields missing", "anon", "POST", "/api/v1/auth/login", "{}", HttpStatusCode.BadRequest, "required"),
        // Longer than any account's address, and than the sign-in throttle's key column.
        new("login: 300-character email", "anon", "POST", "/api/v1/auth/login", $$"""{"email":"{{new string('a', 290)}}@example.com","password":"whatever long"}""", HttpStatusCode.Unauthorized, "wrong"),
        new("login: malformed JSON", "anon", "POST", "/api/v1/auth/login", "{", HttpStatusCode.BadRequest, "JSON"),
        new("reset: not an address", "anon", "POST", "/api/v1/auth/password-reset", """{"email":"not-an-email"}""", HttpStatusCode.BadRequest, "email"),
        new("reset: email missing", "anon", "POST", "/api/v1/auth/password-reset", "{}", HttpStatusCode.BadRequest, "email"),
        new("reset: malformed JSON", "anon", "POST", "/api/v1/auth/password-reset", "{\"email\":", HttpStatusCode.BadRequest, "JSON"),
        new("reset confirm: unknown token", "anon", "POST", "/api/v1/auth/password-reset/confirm", """{"token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","newPassword":"a new password"}""", HttpStatusCode.BadRequest, "not valid"),
        new("reset confirm: token missing", "anon", "POST", "/api/v1/auth/password-reset/confirm", """{"newPassword":"a new password"}""", HttpStatusCode.BadRequest, "token"),
        new("reset confirm: megabyte token", "anon", "POST", "/api/v1/auth/password-reset/confirm", $$"""{"token":"{{LongText}}","newPassword":"a new password"}""", HttpStatusCode.BadRequest, "token"),
        new("reset confirm: short password", "anon", "POST", "/api/v1/auth/password-reset/confirm", """{"token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","newPassword":"short"}""", HttpStatusCode.BadRequest, "newPassword"),
        new("confirm email: unknown token", "anon", "POST", "/api/v1/auth/confirm-email", """{"token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", HttpStatusCode.BadRequest, "not valid"),
        new("confirm email: token is a number", "anon", "POST", "/api/v1/auth/confirm-email", """{"token":42}""", HttpStatusCode.BadRequest, "JSON"),
        new("confirm email: resend anonymously", "anon", "POST", "/api/v1/auth/confirm-email/resend", null, HttpStatusCode.Unauthorized),
        new("refresh: no cookie", "anon", "POST", "/api/v1/auth/refresh", null, HttpStatusCode.Unauthorized),
        new("me: anonymous", "anon", "GET", "/api/v1/me", null, HttpStatusCode.Unauthorized),
        new("password: wrong current password", "user", "POST", "/api/v1/me/password", """{"currentPassword":"not it at all","newPassword":"a new password"}""", HttpStatusCode.BadRequest, "currentPassword"),
        new("password: new one too short", "user", "POST", "/api/v1/me/password", """{"currentPassword":"correct horse battery","newPassword":"short"}""", HttpStatusCode.BadRequest, "newPassword"),
        new("password: malformed JSON", "user", "POST", "/api/v1/me/password", "{\"currentPassword\"", HttpStatusCode.BadRequest, "JSON"),

        // create upload
        new("create: size beyond long", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":99999999999999999999}""", HttpStatusCode.BadRequest, "JSON"),
        new("create: size near long.MaxValue", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":9223372036854775807}""", HttpStatusCode.RequestEntityTooLarge, "limit"),
        new("create: fractional size", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":1.5}""", HttpStatusCode.BadRequest, "JSON"),
        new("create: negative size", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":-1}""", HttpStatusCode.BadRequest, "positive"),
        new("create: size over the quota", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":500000001}""", HttpStatusCode.Forbidden, "free"),
        new("create: NUL in file name", "user", "POST", "/api/v1/uploads", """{"fileName":"a\u0000.mp4","size":10}""", HttpStatusCode.BadRequest, "control"),
        new("create: traversal in file name", "user", "POST", "/api/v1/uploads", """{"fileName":"../../../etc/passwd","size":10}""", HttpStatusCode.BadRequest, "path separators"),
        new("create: file name is ..", "user", "POST", "/api/v1/uploads", """{"fileName":"..","size":10}""", HttpStatusCode.BadRequest, "file name"),
        new("create: Windows path", "user", "POST", "/api/v1/uploads", """{"fileName":"C:\\Windows\\win.ini","size":10}""", HttpStatusCode.BadRequest, "path separators"),
        new("create: HTML content type", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":10,"contentType":"text/html"}""", HttpStatusCode.BadRequest, "video"),
        new("create: header injection in content type", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":10,"contentType":"video/mp4\r\nX-Evil: 1"}""", HttpStatusCode.BadRequest, "media type"),
        new("create: quality as text", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":10,"maxQuality":"720p"}""", HttpStatusCode.BadRequest, "JSON"),
        new("create: quality 0", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":10,"maxQuality":0}""", HttpStatusCode.BadRequest, "maxQuality"),
        new("create: megabyte title", "user", "POST", "/api/v1/uploads", $$"""{"fileName":"a.mp4","size":10,"title":"{{LongText}}"}""", HttpStatusCode.BadRequest, "200 characters"),
        new("create: empty body", "user", "POST", "/api/v1/uploads", "", HttpStatusCode.BadRequest),
        new("create: JSON null", "user", "POST", "/api/v1/uploads", "null", HttpStatusCode.BadRequest),
        new("create: anonymous", "anon", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":10}""", HttpStatusCode.Unauthorized),
        // import from a URL
        new("import: malformed JSON", "user", "POST", "/api/v1/uploads/from-url", "{\"url\":", HttpStatusCode.BadRequest, "JSON"),
        new("import: url missing", "user", "POST", "/api/v1/uploads/from-url", "{}", HttpStatusCode.BadRequest, "required"),
        new("import: url is a number", "user", "POST", "/api/v1/uploads/from-url", """{"url":42}""", HttpStatusCode.BadRequest, "JSON"),
        new("import: ftp scheme", "user", "POST", "/api/v1/uploads/from-url", """{"url":"ftp://example.com/a.mp4"}""", HttpStatusCode.BadRequest, "http"),
        new("import: file scheme", "user", "POST", "/api/v1/uploads/from-url", """{"url":"file:///etc/passwd"}""", HttpStatusCode.BadRequest, "http"),
        new("import: credentials in the URL", "user", "POST", "/api/v1/uploads/from-url", """{"url":"http://a:b@example.com/a.mp4"}""", HttpStatusCode.BadRequest, "user name"),
        new("import: megabyte URL", "user", "POST", "/api/v1/uploads/from-url", $$"""{"url":"http://example.com/{{LongText}}"}""", HttpStatusCode.BadRequest, "URL"),
        new("import: quality 0", "user", "POST", "/api/v1/uploads/from-url", """{"url":"ftp://example.com/a.mp4","maxQuality":0}""", HttpStatusCode.BadRequest, "maxQuality"),
        new("import: megabyte title", "user", "POST", "/api/v1/uploads/from-url", $$"""{"url":"ftp://example.com/a.mp4","title":"{{LongText}}"}""", HttpStatusCode.BadRequest, "200 characters"),
        new("import: JSON null", "user", "POST", "/api/v1/uploads/from-url", "null", HttpStatusCode.BadRequest),
        new("import: anonymous", "anon", "POST", "/api/v1/uploads/from-url", """{"url":"http://example.com/a.mp4"}""", HttpStatusCode.Unauthorized),

        // sign
        new("sign: part 0", "user", "POST", "/api/v1/uploads/{active}/parts/sign", """{"partNumbers":[0]}""", HttpStatusCode.BadRequest, "out of range"),
        new("sign: part past the last", "user", "POST", "/api/v1/uploads/{active}/parts/sign", """{"partNumbers":[10001]}""", HttpStatusCode.BadRequest, "out of range"),
        new("sign: int.MaxValue", "user", "POST", "/api/v1/uploads/{active}/parts/sign", """{"partNumbers":[2147483647]}""", HttpStatusCode.BadRequest, "out of range"),
        new("sign: part beyond int", "user", "POST", "/api/v1/uploads/{active}/parts/sign", """{"partNumbers":[4294967296]}""", HttpStatusCode.BadRequest, "JSON"),
        new("sign: numbers as a string", "user", "POST", "/api/v1/uploads/{active}/parts/sign", """{"partNumbers":"1,2"}""", HttpStatusCode.BadRequest, "JSON"),
        new("sign: null list", "user", "POST", "/api/v1/uploads/{active}/parts/sign", """{"partNumbers":null}""", HttpStatusCode.BadRequest, "at least one"),
        new("sign: 101 parts", "user", "POST", "/api/v1/uploads/{active}/parts/sign", $$"""{"partNumbers":[{{string.Join(',', Enumerable.Range(1, 101))}}]}""", HttpStatusCode.BadRequest, "at most"),
        new("sign: malformed JSON", "user", "POST", "/api/v1/uploads/{active}/parts/sign", "{\"partNumbers\":[1", HttpStatusCode.BadRequest, "JSON"),
        new("sign: unknown upload", "user", "POST", "/api/v1/uploads/{random}/parts/sign", """{"partNumbers":[1]}""", HttpStatusCode.NotFound),
        new("sign: someone else's upload", "user", "POST", "/api/v1/uploads/{others}/parts/sign", """{"partNumbers":[1]}""", HttpStatusCode.NotFound),
        new("sign: completed upload", "user", "POST", "/api/v1/uploads/{completed}/parts/sign", """{"partNumbers":[1]}""", HttpStatusCode.Conflict, "complete"),
        new("sign: deleted video", "user", "POST", "/api/v1/uploads/{deleted}/parts/sign", """{"partNumbers":[1]}""", HttpStatusCode.NotFound),

        // record part
        new("record: part 0", "user", "PUT", "/api/v1/uploads/{active}/parts/0", """{"etag":"\"0123abcd\"","size":5242880}""", HttpStatusCode.BadRequest, "out of range"),
        new("record: negative part", "user", "PUT", "/api/v1/uploads/{active}/parts/-1", """{"etag":"\"0123abcd\"","size":5242880}""", HttpStatusCode.BadRequest, "out of range"),
        new("record: part number beyond int", "user", "PUT", "/api/v1/uploads/{active}/parts/99999999999", """{"etag":"\"0123abcd\"","size":5242880}""", HttpStatusCode.NotFound),
        new("record: script as ETag", "user", "PUT", "/api/v1/uploads/{active}/parts/1", """{"etag":"<script>alert(1)</script>","size":5242880}""", HttpStatusCode.BadRequest, "etag"),
        new("record: 200-character ETag", "user", "PUT", "/api/v1/uploads/{active}/parts/1", $$"""{"etag":"{{new string('a', 200)}}","size":5242880}""", HttpStatusCode.BadRequest, "etag"),
        new("record: ETag missing", "user", "PUT", "/api/v1/uploads/{active}/parts/1", """{"size":5242880}""", HttpStatusCode.BadRequest, "etag"),
        new("record: wrong size", "user", "PUT", "/api/v1/uploads/{active}/parts/1", """{"etag":"\"0123abcd\"","size":1}""", HttpStatusCode.BadRequest, "must be"),
        new("record: negative size", "user", "PUT", "/api/v1/uploads/{active}/parts/1", """{"etag":"\"0123abcd\"","size":-5242880}""", HttpStatusCode.BadRequest, "must be"),
        new("record: part never signed", "user", "PUT", "/api/v1/uploads/{active}/parts/2", """{"etag":"\"0123abcd\"","size":5242880}""", HttpStatusCode.BadRequest, "never signed"),
        new("record: someone else's upload", "user", "PUT", "/api/v1/uploads/{others}/parts/1", """{"etag":"\"0123abcd\"","size":5242880}""", HttpStatusCode.NotFound),
        new("record: completed upload", "user", "PUT", "/api/v1/uploads/{completed}/parts/1", """{"etag":"\"0123abcd\"","size":1000}""", HttpStatusCode.Conflict, "complete"),

        // complete and abort
        new("complete: unknown upload", "user", "POST", "/api/v1/uploads/{random}/complete", null, HttpStatusCode.NotFound),
        new("complete: someone else's upload", "user", "POST", "/api/v1/uploads/{others}/complete", null, HttpStatusCode.NotFound),
        new("complete: parts missing", "user", "POST", "/api/v1/uploads/{active}/complete", null, HttpStatusCode.Conflict, "not recorded"),
        new("complete: nothing uploaded yet", "user", "POST", "/api/v1/uploads/{single}/complete", null, HttpStatusCode.Conflict, "No file"),
        new("complete: forged ETag recorded", "user", "POST", "/api/v1/uploads/{forged}/complete", null, HttpStatusCode.Conflict, "ETag"),
        new("complete: deleted video", "user", "POST", "/api/v1/uploads/{deleted}/complete", null, HttpStatusCode.NotFound),
        new("complete: twice is idempotent", "user", "POST", "/api/v1/uploads/{completed}/complete", null, HttpStatusCode.Accepted),
        new("abort: unknown upload", "user", "DELETE", "/api/v1/uploads/{random}", null, HttpStatusCode.NotFound),
        new("abort: someone else's upload", "user", "DELETE", "/api/v1/uploads/{others}", null, HttpStatusCode.NotFound),
        new("abort: completed upload", "user", "DELETE", "/api/v1/uploads/{completed}", null, HttpStatusCode.Conflict, "delete the video"),
        new("status: someone else's upload", "user", "GET", "/api/v1/uploads/{others}", null, HttpStatusCode.NotFound),

        // videos
        new("videos: unknown sort", "user", "GET", "/api/v1/videos?sort=title;DROP TABLE videos", null, HttpStatusCode.BadRequest, "sort"),
        new("videos: page is text", "user", "GET", "/api/v1/videos?page=abc", null, HttpStatusCode.BadRequest),
        new("videos: page beyond int", "user", "GET", "/api/v1/videos?pageSize=99999999999", null, HttpStatusCode.BadRequest),
        new("videos: page and size int.MaxValue", "user", "GET", "/api/v1/videos?page=2147483647&pageSize=2147483647", null, HttpStatusCode.BadRequest, "page must be between"),
        new("videos: page past the last allowed", "user", "GET", "/api/v1/videos?page=1000001", null, HttpStatusCode.BadRequest, "page must be between"),
        new("video: someone else's", "user", "GET", "/api/v1/videos/{others}", null, HttpStatusCode.NotFound),
        new("video: traversal instead of an id", "user", "GET", "/api/v1/videos/..%2F..%2Fadmin%2Fusers", null, HttpStatusCode.NotFound),
        new("rename: megabyte title", "user", "PATCH", "/api/v1/videos/{active}", $$"""{"title":"{{LongText}}"}""", HttpStatusCode.BadRequest, "200"),
        new("rename: title missing", "user", "PATCH", "/api/v1/videos/{active}", "{}", HttpStatusCode.BadRequest, "title"),
        new("rename: control character", "user", "PATCH", "/api/v1/videos/{active}", """{"title":"\u0007bell"}""", HttpStatusCode.BadRequest, "control"),
        new("rename: right-to-left override", "user", "PATCH", "/api/v1/videos/{active}", """{"title":"clip\u202Egpj.exe"}""", HttpStatusCode.BadRequest, "bidirectional"),
        new("create: right-to-left override in file name", "user", "POST", "/api/v1/uploads", """{"fileName":"clip\u202E4pm.exe","size":10}""", HttpStatusCode.BadRequest, "bidirectional"),
        new("rename: someone else's", "user", "PATCH", "/api/v1/videos/{others}", """{"title":"mine now"}""", HttpStatusCode.NotFound),
        new("visibility: unknown value", "user", "PATCH", "/api/v1/videos/{active}", """{"visibility":"secret"}""", HttpStatusCode.BadRequest, "visibility"),
        new("visibility: upper case", "user", "PATCH", "/api/v1/videos/{active}", """{"visibility":"PRIVATE"}""", HttpStatusCode.BadRequest, "visibility"),
        new("visibility: a number", "user", "PATCH", "/api/v1/videos/{active}", """{"visibility":2}""", HttpStatusCode.BadRequest, "JSON"),
        new("visibility: someone else's", "user", "PATCH", "/api/v1/videos/{others}", """{"visibility":"public"}""", HttpStatusCode.NotFound),
        new("create: unknown visibility", "user", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":10,"visibility":"hidden"}""", HttpStatusCode.BadRequest, "visibility"),
        new("import: unknown visibility", "user", "POST", "/api/v1/uploads/from-url", """{"url":"ftp://example.com/a.mp4","visibility":"hidden"}""", HttpStatusCode.BadRequest, "visibility"),
        new("direct: unknown visibility", "user", "POST", "/api/v1/direct-uploads", """{"visibility":"everyone"}""", HttpStatusCode.BadRequest, "visibility"),
        new("share: expiry of 0 hours", "user", "POST", "/api/v1/videos/{active}/share-links", """{"expiresInHours":0}""", HttpStatusCode.BadRequest, "expiresInHours"),
        new("share: expiry past 720 hours", "user", "POST", "/api/v1/videos/{active}/share-links", """{"expiresInHours":721}""", HttpStatusCode.BadRequest, "expiresInHours"),
        new("share: expiry beyond int", "user", "POST", "/api/v1/videos/{active}/share-links", """{"expiresInHours":99999999999}""", HttpStatusCode.BadRequest, "JSON"),
        new("share: malformed JSON", "user", "POST", "/api/v1/videos/{active}/share-links", "{\"expiresInHours\":", HttpStatusCode.BadRequest, "JSON"),
        new("share: someone else's video", "user", "POST", "/api/v1/videos/{others}/share-links", "{}", HttpStatusCode.NotFound),
        new("share: anonymous", "anon", "POST", "/api/v1/videos/{active}/share-links", "{}", HttpStatusCode.Unauthorized),
        new("share: list someone else's", "user", "GET", "/api/v1/videos/{others}/share-links", null, HttpStatusCode.NotFound),
        new("share: revoke an unknown link", "user", "DELETE", "/api/v1/videos/{active}/share-links/{random}", null, HttpStatusCode.NotFound),
        new("watch: unknown video", "anon", "GET", "/api/v1/watch/{random}", null, HttpStatusCode.NotFound),
        new("watch: not playable yet", "anon", "GET", "/api/v1/watch/{others}", null, HttpStatusCode.NotFound),
        new("watch: malformed share token", "anon", "GET", "/api/v1/watch/{others}?share=%00%00", null, HttpStatusCode.NotFound),
        new("watch: megabyte share token", "anon", "GET", $"/api/v1/watch/{{others}}?share={new string('s', 4000)}", null, HttpStatusCode.NotFound),
        new("watch: page past the maximum", "anon", "GET", "/api/v1/watch?page=1000001", null, HttpStatusCode.BadRequest, "page"),
        new("watch: page not a number", "anon", "GET", "/api/v1/watch?page=two", null, HttpStatusCode.BadRequest),
        new("media: no token", "anon", "GET", "/api/v1/media/p/none/private/{random}/v1/manifest.json", null, HttpStatusCode.Forbidden, "playback token"),
        new("media: forged token", "anon", "GET", "/api/v1/media/p/99999999999.0.AAAAAAAAAAAAAAAAAAAAAA/private/{others}/v1/manifest.json", null, HttpStatusCode.Forbidden, "playback token"),
        new("media: megabyte token", "anon", "GET", $"/api/v1/media/p/{new string('1', 5000)}/private/{{others}}/v1/manifest.json", null, HttpStatusCode.Forbidden, "playback token"),
        new("media: path out of the version", "anon", "GET", "/api/v1/media/p/1.0.x/private/{others}/v1/..%2F..%2F..%2Fraw%2Fsource", null, HttpStatusCode.Forbidden),
        new("rename: deleted video", "user", "PATCH", "/api/v1/videos/{deleted}", """{"title":"back"}""", HttpStatusCode.NotFound),
        new("delete: someone else's", "user", "DELETE", "/api/v1/videos/{others}", null, HttpStatusCode.NotFound),
        new("delete: deleted video", "user", "DELETE", "/api/v1/videos/{deleted}", null, HttpStatusCode.NotFound),
        new("retry: a video that did not fail", "user", "POST", "/api/v1/videos/{completed}/retry", null, HttpStatusCode.Conflict, "failed"),
        new("retry: deleted video", "user", "POST", "/api/v1/videos/{deleted}/retry", null, HttpStatusCode.NotFound),
        new("cancel: a video still uploading", "user", "POST", "/api/v1/videos/{active}/cancel", null, HttpStatusCode.Conflict, "processed"),
        new("cancel: someone else's", "user", "POST", "/api/v1/videos/{others}/cancel", null, HttpStatusCode.NotFound),

        // captions
        new("captions: neither WebVTT nor SRT", "user", "PUT", "/api/v1/videos/{completed}/captions/en", "<html><body>hello</body></html>", HttpStatusCode.BadRequest, "neither", "text/plain"),
        new("captions: NUL bytes", "user", "PUT", "/api/v1/videos/{completed}/captions/en", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\u0000\u0001\u0002", HttpStatusCode.BadRequest, "control character", "text/vtt"),
        new("captions: cue ends before it starts", "user", "PUT", "/api/v1/videos/{completed}/captions/en", "1\n00:00:09,000 --> 00:00:01,000\nx\n", HttpStatusCode.BadRequest, "before it starts", "application/x-subrip"),
        new("captions: empty file", "user", "PUT", "/api/v1/videos/{completed}/captions/en", "", HttpStatusCode.BadRequest, "empty", "text/vtt"),
        new("captions: over a megabyte", "user", "PUT", "/api/v1/videos/{completed}/captions/en", new string('x', 1_000_001), HttpStatusCode.RequestEntityTooLarge, "at most", "text/vtt"),
        new("captions: not a language tag", "user", "PUT", "/api/v1/videos/{completed}/captions/english%20please", ValidVtt, HttpStatusCode.BadRequest, "BCP-47", "text/vtt"),
        new("captions: newline after the language", "user", "PUT", "/api/v1/videos/{completed}/captions/en%0A", ValidVtt, HttpStatusCode.BadRequest, "BCP-47", "text/vtt"),
        new("captions: traversal as language", "user", "PUT", "/api/v1/videos/{completed}/captions/..%2F..%2Fraw", ValidVtt, HttpStatusCode.BadRequest, "BCP-47", "text/vtt"),
        new("captions: control character in label", "user", "PUT", "/api/v1/videos/{completed}/captions/en?label=a%07b", ValidVtt, HttpStatusCode.BadRequest, "label", "text/vtt"),
        new("captions: video not ready", "user", "PUT", "/api/v1/videos/{completed}/captions/en", ValidVtt, HttpStatusCode.Conflict, "ready", "text/vtt"),
        new("captions: someone else's video", "user", "PUT", "/api/v1/videos/{others}/captions/en", ValidVtt, HttpStatusCode.NotFound, null, "text/vtt"),
        new("captions: list someone else's", "user", "GET", "/api/v1/videos/{others}/captions", null, HttpStatusCode.NotFound),
        new("captions: delete on a video not ready", "user", "DELETE", "/api/v1/videos/{completed}/captions/en", null, HttpStatusCode.Conflict, "ready"),
        new("captions: delete someone else's", "user", "DELETE", "/api/v1/videos/{others}/captions/en", null, HttpStatusCode.NotFound),

        // posters
        new("poster: neither a tile nor a time", "user", "PUT", "/api/v1/videos/{completed}/poster", "{}", HttpStatusCode.BadRequest, "exactly one"),
        new("poster: both a tile and a time", "user", "PUT", "/api/v1/videos/{completed}/poster", """{"fromSprite":1,"atSeconds":2}""", HttpStatusCode.BadRequest, "exactly one"),
        new("poster: time is text", "user", "PUT", "/api/v1/videos/{completed}/poster", """{"atSeconds":"soon"}""", HttpStatusCode.BadRequest),
        new("poster: tile beyond int", "user", "PUT", "/api/v1/videos/{completed}/poster", """{"fromSprite":99999999999}""", HttpStatusCode.BadRequest),
        new("poster: video not ready", "user", "PUT", "/api/v1/videos/{completed}/poster", """{"atSeconds":1}""", HttpStatusCode.Conflict, "ready"),
        new("poster: someone else's video", "user", "PUT", "/api/v1/videos/{others}/poster", """{"fromSprite":0}""", HttpStatusCode.NotFound),
        new("poster: read someone else's", "user", "GET", "/api/v1/videos/{others}/poster", null, HttpStatusCode.NotFound),
        new("poster image: not an image type", "user", "PUT", "/api/v1/videos/{completed}/poster/image", "hello", HttpStatusCode.UnsupportedMediaType, "image/jpeg or image/png", "text/plain"),
        new("poster image: video not ready", "user", "PUT", "/api/v1/videos/{completed}/poster/image", "\u0089PNG", HttpStatusCode.Conflict, "ready", "image/png"),
        new("poster image: someone else's video", "user", "PUT", "/api/v1/videos/{others}/poster/image", "hello", HttpStatusCode.NotFound, null, "image/png"),

        // downloads
        new("download: original of an unfinished upload", "user", "GET", "/api/v1/videos/{active}/downloads/original", null, HttpStatusCode.Conflict, "not been completed"),
        new("download: someone else's original", "user", "GET", "/api/v1/videos/{others}/downloads/original", null, HttpStatusCode.NotFound),
        new("download: rendition of a video not ready", "user", "POST", "/api/v1/videos/{completed}/downloads/720p", null, HttpStatusCode.Conflict, "ready"),
        new("download: rendition of an unknown video", "user", "POST", "/api/v1/videos/{random}/downloads/720p", null, HttpStatusCode.NotFound),
        new("download: someone else's rendition", "user", "POST", "/api/v1/videos/{others}/downloads/360p", null, HttpStatusCode.NotFound),

        // direct uploads (upload links)
        new("direct: megabyte title", "user", "POST", "/api/v1/direct-uploads", $$"""{"title":"{{LongText}}"}""", HttpStatusCode.BadRequest, "200 characters"),
        new("direct: passthrough over 255 characters", "user", "POST", "/api/v1/direct-uploads", $$"""{"passthrough":"{{new string('p', 256)}}"}""", HttpStatusCode.BadRequest, "255"),
        new("direct: control character in passthrough", "user", "POST", "/api/v1/direct-uploads", """{"passthrough":"a\u0000b"}""", HttpStatusCode.BadRequest, "control"),
        new("direct: allowed origin with a path", "user", "POST", "/api/v1/direct-uploads", """{"allowedOrigin":"https://partner.example/upload"}""", HttpStatusCode.BadRequest, "allowedOrigin"),
        new("direct: script URL as origin", "user", "POST", "/api/v1/direct-uploads", """{"allowedOrigin":"javascript:alert(1)"}""", HttpStatusCode.BadRequest, "allowedOrigin"),
        new("direct: expiry past the maximum", "user", "POST", "/api/v1/direct-uploads", """{"expiresInSeconds":604801}""", HttpStatusCode.BadRequest, "expiresInSeconds"),
        new("direct: expiry beyond int", "user", "POST", "/api/v1/direct-uploads", """{"expiresInSeconds":99999999999}""", HttpStatusCode.BadRequest, "JSON"),
        new("direct: quality 0", "user", "POST", "/api/v1/direct-uploads", """{"maxQuality":0}""", HttpStatusCode.BadRequest, "maxQuality"),
        new("direct: malformed JSON", "user", "POST", "/api/v1/direct-uploads", "{\"title\":", HttpStatusCode.BadRequest, "JSON"),
        new("direct: anonymous", "anon", "POST", "/api/v1/direct-uploads", "{}", HttpStatusCode.Unauthorized),
        new("direct: revoke an unknown link", "user", "DELETE", "/api/v1/direct-uploads/{random}", null, HttpStatusCode.NotFound),
        new("direct: revoke with an id that is not one", "user", "DELETE", "/api/v1/direct-uploads/..%2Fvideos", null, HttpStatusCode.NotFound),
        new("create: passthrough over 255 characters", "user", "POST", "/api/v1/uploads", $$"""{"fileName":"a.mp4","size":10,"passthrough":"{{new string('p', 256)}}"}""", HttpStatusCode.BadRequest, "passthrough"),

        // admin
        new("admin: a user lists everyone's videos", "user", "GET", "/api/v1/admin/videos", null, HttpStatusCode.Forbidden),
        new("admin: a user changes roles", "user", "PATCH", "/api/v1/admin/users/{user}", """{"role":"admin"}""", HttpStatusCode.Forbidden),
        new("admin: unknown status filter", "admin", "GET", "/api/v1/admin/videos?status=pwned", null, HttpStatusCode.BadRequest, "status"),
        new("admin: videos page and size int.MaxValue", "admin", "GET", "/api/v1/admin/videos?page=2147483647&pageSize=2147483647", null, HttpStatusCode.BadRequest, "page must be between"),
        new("admin: jobs page and size int.MaxValue", "admin", "GET", "/api/v1/admin/jobs?state=failed&page=2147483647&pageSize=2147483647", null, HttpStatusCode.BadRequest, "page must be between"),
        new("admin: scheduled jobs page int.MaxValue", "admin", "GET", "/api/v1/admin/jobs?state=scheduled&page=2147483647", null, HttpStatusCode.BadRequest, "page must be between"),
        new("admin: unknown job state", "admin", "GET", "/api/v1/admin/jobs?state=everything", null, HttpStatusCode.BadRequest, "state"),
        new("admin: requeue nothing", "admin", "POST", "/api/v1/admin/jobs/requeue", """{"videoIds":[]}""", HttpStatusCode.BadRequest, "at least one"),
        new("admin: requeue ids that are not ids", "admin", "POST", "/api/v1/admin/jobs/requeue", """{"videoIds":["../../etc"]}""", HttpStatusCode.BadRequest, "JSON"),
        new("admin: delete jobs, malformed JSON", "admin", "POST", "/api/v1/admin/jobs/delete", "{\"videoIds\":", HttpStatusCode.BadRequest, "JSON"),
        new("admin: unknown role", "admin", "PATCH", "/api/v1/admin/users/{user}", """{"role":"root"}""", HttpStatusCode.BadRequest, "role"),
        new("admin: negative quota", "admin", "PATCH", "/api/v1/admin/users/{user}", """{"quotaBytes":-1}""", HttpStatusCode.BadRequest, "quotaBytes"),
        new("admin: unknown user", "admin", "PATCH", "/api/v1/admin/users/{random}", """{"role":"user"}""", HttpStatusCode.NotFound),
        new("admin: delete an unknown video", "admin", "DELETE", "/api/v1/admin/videos/{random}", null, HttpStatusCode.NotFound),
        new("admin: unknown job", "admin", "GET", "/api/v1/admin/jobs/{random}", null, HttpStatusCode.NotFound),

        // API keys
        new("keys: unknown scope", "user", "POST", "/api/v1/keys", """{"name":"ci","scopes":["videos:read","admin:all"]}""", HttpStatusCode.BadRequest, "unknown scope 'admin:all'"),
        new("keys: empty name", "user", "POST", "/api/v1/keys", """{"name":"","scopes":["videos:read"]}""", HttpStatusCode.BadRequest, "name"),
        new("keys: name missing", "user", "POST", "/api/v1/keys", """{"scopes":["videos:read"]}""", HttpStatusCode.BadRequest, "name"),
        new("keys: megabyte name", "user", "POST", "/api/v1/keys", $$"""{"name":"{{LongText}}","scopes":["videos:read"]}""", HttpStatusCode.BadRequest, "100 characters"),
        new("keys: control character in name", "user", "POST", "/api/v1/keys", """{"name":"a\u0000b","scopes":["videos:read"]}""", HttpStatusCode.BadRequest, "control"),
        new("keys: no scopes", "user", "POST", "/api/v1/keys", """{"name":"ci","scopes":[]}""", HttpStatusCode.BadRequest, "at least one"),
        new("keys: scopes as a string", "user", "POST", "/api/v1/keys", """{"name":"ci","scopes":"videos:read"}""", HttpStatusCode.BadRequest, "JSON"),
        new("keys: malformed JSON", "user", "POST", "/api/v1/keys", "{\"name\":", HttpStatusCode.BadRequest, "JSON"),
        new("keys: anonymous", "anon", "POST", "/api/v1/keys", """{"name":"ci","scopes":["videos:read"]}""", HttpStatusCode.Unauthorized),
        new("keys: a key makes a key", "key", "POST", "/api/v1/keys", """{"name":"ci","scopes":["videos:read"]}""", HttpStatusCode.Forbidden, "API keys cannot"),
        new("keys: a key lists keys", "key", "GET", "/api/v1/keys", null, HttpStatusCode.Forbidden, "API keys cannot"),
        new("keys: a key revokes a key", "key", "DELETE", "/api/v1/keys/{userkey}", null, HttpStatusCode.Forbidden, "API keys cannot"),
        new("keys: revoke an unknown key", "user", "DELETE", "/api/v1/keys/{random}", null, HttpStatusCode.NotFound),
        new("keys: revoke someone else's key", "user", "DELETE", "/api/v1/keys/{otherskey}", null, HttpStatusCode.NotFound),
        new("keys: revoke by a non-id", "user", "DELETE", "/api/v1/keys/..%2F..%2Fadmin", null, HttpStatusCode.NotFound),
        new("keys: read-only key renames", "key", "PATCH", "/api/v1/videos/{active}", """{"title":"renamed"}""", HttpStatusCode.Forbidden, "videos:write"),
        new("keys: read-only key uploads", "key", "POST", "/api/v1/uploads", """{"fileName":"a.mp4","size":10}""", HttpStatusCode.Forbidden, "uploads:write"),
        new("keys: read-only key reaches admin", "key", "GET", "/api/v1/admin/users", null, HttpStatusCode.Forbidden),
        new("keys: key lacking the scope changes a password", "key", "POST", "/api/v1/me/password", """{"currentPassword":"correct horse battery","newPassword":"a new password"}""", HttpStatusCode.Forbidden, "API keys cannot"),
        new("keys: unknown key", "badkey", "GET", "/api/v1/videos", null, HttpStatusCode.Unauthorized, "API key"),
        new("keys: key with a bad upload body", "allkeys", "POST", "/api/v1/uploads", """{"fileName":"../x.mp4","size":10}""", HttpStatusCode.BadRequest, "path separators"),

        // webhooks
        new("webhook: URL missing", "user", "POST", "/api/v1/webhooks", """{"events":["video.ready"]}""", HttpStatusCode.BadRequest, "URL is required"),
        new("webhook: not a URL", "user", "POST", "/api/v1/webhooks", """{"url":"not a url","events":["video.ready"]}""", HttpStatusCode.BadRequest, "absolute URL"),
        new("webhook: ftp URL", "user", "POST", "/api/v1/webhooks", """{"url":"ftp://example.com/","events":["video.ready"]}""", HttpStatusCode.BadRequest, "http"),
        new("webhook: javascript URL", "user", "POST", "/api/v1/webhooks", """{"url":"javascript:alert(1)","events":["video.ready"]}""", HttpStatusCode.BadRequest, "url"),
        new("webhook: megabyte URL", "user", "POST", "/api/v1/webhooks", $$"""{"url":"http://127.0.0.1/{{LongText}}","events":["video.ready"]}""", HttpStatusCode.BadRequest, "2048"),
        new("webhook: no events", "user", "POST", "/api/v1/webhooks", """{"url":"http://127.0.0.1:9/","events":[]}""", HttpStatusCode.BadRequest, "at least one"),
        new("webhook: events missing", "user", "POST", "/api/v1/webhooks", """{"url":"http://127.0.0.1:9/"}""", HttpStatusCode.BadRequest, "at least one"),
        new("webhook: unknown event", "user", "POST", "/api/v1/webhooks", """{"url":"http://127.0.0.1:9/","events":["video.hacked"]}""", HttpStatusCode.BadRequest, "unknown event"),
        new("webhook: events as a string", "user", "POST", "/api/v1/webhooks", """{"url":"http://127.0.0.1:9/","events":"video.ready"}""", HttpStatusCode.BadRequest, "JSON"),
        new("webhook: malformed JSON", "user", "POST", "/api/v1/webhooks", "{\"url\":", HttpStatusCode.BadRequest, "JSON"),
        new("webhook: anonymous", "anon", "POST", "/api/v1/webhooks", """{"url":"http://127.0.0.1:9/","events":["video.ready"]}""", HttpStatusCode.Unauthorized),
        new("webhook: delete an unknown one", "user", "DELETE", "/api/v1/webhooks/{random}", null, HttpStatusCode.NotFound),
        new("webhook: deliveries of an unknown one", "user", "GET", "/api/v1/webhooks/{random}/deliveries", null, HttpStatusCode.NotFound),
        new("webhook: resend an unknown delivery", "user", "POST", "/api/v1/webhooks/{random}/deliveries/{random}/resend", null, HttpStatusCode.NotFound),
        new("webhook: id that is not an id", "user", "GET", "/api/v1/webhooks/..%2F..%2Fadmin/deliveries", null, HttpStatusCode.NotFound),

        // player QoE beacons and figures
        new("views: malformed JSON", "anon", "POST", "/api/v1/views", "{\"views\":", HttpStatusCode.BadRequest, "JSON"),
        new("views: watch time as a string", "anon", "POST", "/api/v1/views", """{"views":[{"viewId":"{random}","videoId":"{completed}","watchSeconds":"10"}]}""", HttpStatusCode.BadRequest, "JSON"),
        new("views: negative watch time", "anon", "POST", "/api/v1/views", """{"views":[{"viewId":"{random}","videoId":"{completed}","watchSeconds":-1}]}""", HttpStatusCode.BadRequest, "watchSeconds"),
        new("views: unknown field", "anon", "POST", "/api/v1/views", """{"views":[{"viewId":"{random}","videoId":"{completed}","watchSeconds":1,"email":"a@b.c"}]}""", HttpStatusCode.BadRequest, "email"),
        new("views: video not playable", "anon", "POST", "/api/v1/views", """{"views":[{"viewId":"{random}","videoId":"{completed}","watchSeconds":1}]}""", HttpStatusCode.NotFound),
        new("views: oversized body", "anon", "POST", "/api/v1/views", $$"""{"views":[],"pad":"{{LongText}}"}""", HttpStatusCode.RequestEntityTooLarge, "at most"),
        new("views: a form post", "user", "POST", "/api/v1/views", "views=1", HttpStatusCode.UnsupportedMediaType, null, "application/x-www-form-urlencoded"),
        new("qoe: someone else's video", "user", "GET", "/api/v1/videos/{others}/qoe", null, HttpStatusCode.NotFound),
        new("qoe: unknown window", "user", "GET", "/api/v1/videos/{active}/qoe?window=1y", null, HttpStatusCode.BadRequest, "window"),
        new("qoe: a user reads the overview", "user", "GET", "/api/v1/admin/qoe", null, HttpStatusCode.Forbidden),
        new("qoe: overview with an unknown window", "admin", "GET", "/api/v1/admin/qoe?window=forever", null, HttpStatusCode.BadRequest, "window"),
    ];

    public static TheoryData<Case> AllCases()
    {
        var data = new TheoryData<Case>();
        foreach (var c in Cases) data.Add(c);
        return data;
    }

    [Fact]
    public void The_table_covers_every_endpoint_family_with_at_least_sixty_cases()
    {
        Assert.True(Cases.Length >= 60, $"{Cases.Length} cases");
        foreach (var prefix in new[] { "/api/v1/auth/", "/api/v1/me", "/api/v1/uploads", "/api/v1/videos", "/api/v1/admin/", "/api/v1/keys", "/api/v1/webhooks", "/api/v1/direct-uploads", "/api/v1/views" })
            Assert.Contains(Cases, c => c.Path.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Equal(Cases.Length, Cases.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task Is_refused_cleanly_and_changes_nothing(Case c)
    {
        var before = await SnapshotAsync();
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), Fill(c.Path));
        if (c.Body is not null)
            request.Content = new StringContent(Fill(c.Body), Encoding.UTF8, c.ContentType ?? "application/json");
        using var response = await _callers[c.Caller].SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{c.Name}: {(int)response.StatusCode} {body}");
        if (c.Status == HttpStatusCode.Accepted)
            Assert.Equal(c.Status, response.StatusCode);
        else
        {
            var detail = await response.AssertProblemAsync(c.Status);
            if (c.Detail is not null)
                Assert.True(detail.Contains(c.Detail, StringComparison.OrdinalIgnoreCase), $"{c.Name}: '{detail}' lacks '{c.Detail}'");
        }
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task An_admin_cannot_requeue_an_upload_that_was_never_completed()
    {
        var created = await _callers["user"].CreateUploadAsync(1000);
        var videoId = created.GetProperty("videoId").GetString()!;
        await TestApi.PutToStorageAsync(stack.Storage, created.GetProperty("url").GetString()!, new byte[1000]);
        var before = await SnapshotAsync();
        var requeue = await _callers["admin"].PostAsJsonAsync("/api/v1/admin/jobs/requeue", new { videoIds = new[] { videoId } });
        Assert.Equal(0, (await requeue.ReadJsonAsync()).GetProperty("requeued").GetInt32());
        Assert.Equal(before, await SnapshotAsync());
        var video = await (await _callers["user"].GetAsync($"/api/v1/videos/{videoId}")).ReadJsonAsync();
        Assert.Equal("pending_upload", video.GetProperty("status").GetString());
    }

    public async Task InitializeAsync()
    {
        var ownerEmail = $"owner{Guid.NewGuid():N}@example.com";
        var owner = await _api.RegisterAsync(ownerEmail);
        _callers["user"] = owner;
        _callers["other"] = await _api.RegisterAsync();
        _callers["admin"] = await _api.LoginAdminAsync(stack);
        _callers["anon"] = _api.CreateClient();
        _ids["owner-email"] = ownerEmail;
        _ids["user"] = (await (await owner.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("id").GetString()!;
        _ids["random"] = Guid.NewGuid().ToString();
        var key = await owner.CreateKeyAsync("read only", "videos:read");
        _ids["userkey"] = key.GetProperty("id").GetString()!;
        _callers["key"] = _api.WithKey(key.GetProperty("key").GetString()!);
        _callers["allkeys"] = _api.WithKey((await owner.CreateKeyAsync("everything", [.. StreamForge.Api.Keys.ApiScopes.All])).GetProperty("key").GetString()!);
        _callers["badkey"] = _api.WithKey("sk_" + new string('Z', 43));
        _ids["otherskey"] = (await _callers["other"].CreateKeyAsync("theirs", "videos:read")).GetProperty("id").GetString()!;

        // 12 MB = 3 parts of 5 MiB in tests; part 1 signed so recording it reaches the size and ETag checks.
        var active = await owner.CreateUploadAsync(12_000_000);
        _ids["active"] = Id(active);
        await owner.SignAsync(Guid.Parse(_ids["active"]), 1);
        _ids["single"] = Id(await owner.CreateUploadAsync(1000));
        _ids["others"] = Id(await _callers["other"].CreateUploadAsync(1000));

        var completed = await owner.CreateUploadAsync(1000);
        _ids["completed"] = Id(completed);
        await TestApi.PutToStorageAsync(stack.Storage, completed.GetProperty("url").GetString()!, new byte[1000]);
        var done = await owner.PostAsync($"/api/v1/uploads/{_ids["completed"]}/complete", null);
        Assert.Equal(HttpStatusCode.Accepted, done.StatusCode);

        // Both parts really uploaded, part 1 recorded with an ETag storage never issued.
        var forged = await owner.CreateUploadAsync(6_000_000);
        _ids["forged"] = Id(forged);
        var forgedId = Guid.Parse(_ids["forged"]);
        foreach (var signed in await owner.SignAsync(forgedId, 1, 2))
        {
            var n = signed.GetProperty("partNumber").GetInt32();
            var size = n == 1 ? 5 * 1024 * 1024 : 6_000_000 - 5 * 1024 * 1024;
            var etag = await TestApi.PutToStorageAsync(stack.Storage, signed.GetProperty("url").GetString()!, new byte[size]);
            var recorded = await owner.PutAsJsonAsync($"/api/v1/uploads/{forgedId}/parts/{n}", new { etag = n == 1 ? "\"0123456789abcdef0123456789abcdef\"" : etag, size });
            Assert.Equal(HttpStatusCode.NoContent, recorded.StatusCode);
        }

        var deleted = Id(await owner.CreateUploadAsync(1000));
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/videos/{deleted}")).StatusCode);
        _ids["deleted"] = deleted;
    }

    public Task DisposeAsync()
    {
        foreach (var client in _callers.Values) client.Dispose();
        return Task.CompletedTask;
    }

    private static string Id(System.Text.Json.JsonElement created) => created.GetProperty("videoId").GetString()!;

    private string Fill(string text)
    {
        foreach (var (name, value) in _ids) text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return text;
    }

    /// <summary>Row counts of every table a request could touch, per-owner storage use, and the stored objects.</summary>
    private async Task<string> SnapshotAsync()
    {
        var counts = new List<string>();
        await using (var conn = new NpgsqlConnection(_api.ConnectionString))
        {
            await conn.OpenAsync();
            foreach (var sql in new[]
                     {
                         "SELECT count(*) FROM users", "SELECT count(*) FROM videos", "SELECT count(*) FROM upload_sessions",
                         "SELECT count(*) FROM upload_parts WHERE etag IS NOT NULL", "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL",
                         "SELECT count(*) FROM job_runs", "SELECT count(*) FROM captions", "SELECT count(*) FROM video_downloads", "SELECT coalesce(sum(storage_used_bytes), 0) FROM users",
                         "SELECT string_agg(status, ',' ORDER BY id) FROM videos", "SELECT string_agg(role, ',' ORDER BY id) FROM users",
                         "SELECT string_agg(password_hash, ',' ORDER BY id) FROM users", "SELECT count(*) FROM account_tokens WHERE used_at IS NULL",
                         "SELECT count(*) FROM api_keys", "SELECT string_agg(name || ':' || array_to_string(scopes, ','), ';' ORDER BY id) FROM api_keys",
                         "SELECT count(*) FROM webhook_endpoints", "SELECT count(*) FROM webhook_deliveries",
                         "SELECT count(*) FROM direct_uploads", "SELECT count(*) FROM playback_views",
                         "SELECT count(*) FROM share_links", "SELECT string_agg(visibility, ',' ORDER BY id) FROM videos",
                     })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                counts.Add($"{sql}: {await cmd.ExecuteScalarAsync()}");
            }
        }
        var storage = _api.Services.GetRequiredService<IStorageGateway>();
        foreach (var id in _ids.Values.Where(v => Guid.TryParse(v, out _)).Order())
        {
            var keys = await storage.ListKeysAsync($"raw/{id}/", default);
            var media = await storage.ListKeysAsync($"media/{id}/", default);
            counts.Add($"{id}: raw {keys.Count}, media {media.Count}");
        }
        return string.Join('\n', counts);
    }
}
