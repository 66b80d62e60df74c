using System.Globalization;
using AssetLedger.Api.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace AssetLedger.Api.WebConsole;

/// <summary>
/// The web console (/console): server-rendered Razor Pages over the same Application layer as the API. Requests under
/// /console authenticate with the console's cookie, everything else with a bearer token; both principals carry the same
/// claims and are checked against the user's and participant's streams on every request (<see cref="Sessions"/>).
/// </summary>
public static class ConsoleSetup
{
    public const string Prefix = "/console";
    public const string CookieScheme = "Console";
    /// <summary>The scheme every request authenticates with: it hands /console to the cookie and the rest to the bearer token.</summary>
    public const string Scheme = "AssetLedger";
    public static readonly CultureInfo[] Cultures = [new("en"), new("zh-CN")];
    /// <summary>The cookie the language switch sets (ASP.NET's own format, read by <see cref="CookieRequestCultureProvider"/>).</summary>
    public const string CultureCookie = "assetledger.culture";

    public static bool IsConsole(PathString path) => path.StartsWithSegments(Prefix);

    public static IServiceCollection AddConsole(this IServiceCollection s, string keyDirectory)
    {
        // Cookies and antiforgery tokens are protected with keys beside the JWT key, so every instance reads every other's.
        s.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(keyDirectory, "data-protection"))).SetApplicationName("AssetLedger");
        s.AddLocalization();
        // Chinese is written as itself, not as numeric character references (Razor encodes only what HTML needs).
        s.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        s.AddRouting(o => o.LowercaseUrls = true);
        s.AddRazorPages(o =>
        {
            o.RootDirectory = "/WebConsole/Pages";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Language");
            o.Conventions.Add(new UnderPrefix());
        });
        s.AddAntiforgery(o =>
        {
            o.Cookie.Name = "assetledger.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__RequestVerificationToken";
        });
        s.AddScoped<ConsoleCommands>();
        return s;
    }

    public static void AddConsoleCookie(this Microsoft.AspNetCore.Authentication.AuthenticationBuilder auth) => auth
        .AddPolicyScheme(Scheme, "Bearer token, or the console's cookie under /console", o =>
            o.ForwardDefaultSelector = http => IsConsole(http.Request.Path) ? CookieScheme : JwtBearerDefaults.AuthenticationScheme)
        .AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "assetledger.console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = Prefix;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            o.SlidingExpiration = true;
            o.LoginPath = Prefix + "/login";
            o.LogoutPath = Prefix + "/logout";
            o.AccessDeniedPath = Prefix + "/denied";
            o.Events.OnValidatePrincipal = async context =>
            {
                var (principal, _) = await Sessions.Refresh(context.Principal!, CookieScheme, context.HttpContext.RequestServices, context.HttpContext.RequestAborted);
                if (principal is null) context.RejectPrincipal();
                else context.ReplacePrincipal(principal);
            };
        });

    /// <summary>Static files (htmx, the stylesheet and script), the language from the cookie or Accept-Language, for /console only.</summary>
    public static WebApplication UseConsoleFiles(this WebApplication app)
    {
        // Served from beside the binaries (the build copies wwwroot there), whatever the content root the service was started in.
        var files = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        app.UseStaticFiles(Directory.Exists(files) ? new StaticFileOptions { FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(files) } : new StaticFileOptions());
        var localization = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en"),
            SupportedCultures = Cultures, SupportedUICultures = Cultures,
            FallBackToParentCultures = true, FallBackToParentUICultures = true,
        };
        localization.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = CultureCookie }, new AcceptLanguageHeaderRequestCultureProvider()];
        app.UseWhen(http => IsConsole(http.Request.Path), b => b.UseRequestLocalization(localization));
        return app;
    }

    /// <summary>Every page's route under /console (the pages' folder is their source's, not their address).</summary>
    sealed class UnderPrefix : IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model)
        {
            // A page that names its own address ("/assets/{id}") gets the prefix too, as one under its folder does.
            foreach (var selector in model.Selectors)
                selector.AttributeRouteModel!.Template = AttributeRouteModel.CombineTemplates(Prefix.TrimStart('/'), selector.AttributeRouteModel.Template!.TrimStart('~', '/'));
        }
    }
}
