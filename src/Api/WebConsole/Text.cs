namespace AssetLedger.Api.WebConsole;

/// <summary>
/// The console's words: Text.resx (English) and Text.zh-CN.resx (简体中文), one key per label and message, and
/// "error.{code}" per domain error code in Chinese (in English the error's own message is shown, which names the ids).
/// </summary>
public sealed class Text;
