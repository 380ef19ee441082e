using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace HaloSync.Runner;

/// <summary>A non-interactive host, like an RMM agent or Azure Automation: it writes, it never prompts.</summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly HostUserInterface ui;

    public ConsoleHost(TextWriter output, TextWriter error, bool plainText) => ui = new HostUserInterface(output, error, plainText);

    public override string Name => "HaloSync.Runner";
    public override Version Version => new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => ui;
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class HostUserInterface : PSHostUserInterface
    {
        private static readonly Regex AnsiEscape = new("\u001b\\[[0-9;]*[A-Za-z]", RegexOptions.Compiled);
        private readonly TextWriter output;
        private readonly TextWriter error;
        private readonly bool plainText;

        public HostUserInterface(TextWriter output, TextWriter error, bool plainText)
        {
            this.output = output;
            this.error = error;
            this.plainText = plainText;
        }

        public override PSHostRawUserInterface RawUI { get; } = new RawUserInterface();
        public override void Write(string value) => output.Write(Render(value));
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => output.Write(Render(value));
        public override void WriteLine(string value) => output.WriteLine(Render(value));
        public override void WriteErrorLine(string value) => error.WriteLine(Render(value));
        public override void WriteDebugLine(string message) => output.WriteLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => output.WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => output.WriteLine("WARNING: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            if (record.RecordType == ProgressRecordType.Processing && record.PercentComplete <= 0)
            {
                output.WriteLine($"[{record.Activity}] {record.StatusDescription}");
            }
        }

        private string Render(string value) => plainText ? AnsiEscape.Replace(value, string.Empty) : value;

        public override string ReadLine() => throw NonInteractive();
        public override SecureString ReadLineAsSecureString() => throw NonInteractive();
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NonInteractive();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NonInteractive();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NonInteractive();
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw NonInteractive();

        private static Exception NonInteractive() => new PSInvalidOperationException("HaloSync.Runner is non-interactive; pass every value as a parameter (use -Confirm:$false or -Force where asked).");
    }

    private sealed class RawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get; set; } = new(160, 9999);
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new(160, 50);
        public override Size MaxWindowSize => new(160, 50);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; } = new(160, 50);
        public override string WindowTitle { get; set; } = "HaloSync";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
