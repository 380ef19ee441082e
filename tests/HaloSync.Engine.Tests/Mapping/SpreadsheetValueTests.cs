using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Tests.Mapping;

public sealed class SpreadsheetValueTests
{
    [Theory]
    [InlineData("42", 42)]
    [InlineData(" 3010 ", 3010)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    public void Ids_are_plain_decimal_digits(string cell, int? expected) => Assert.Equal(expected, SpreadsheetValue.ParseId(cell, "Halo Item Id"));

    [Theory]
    [InlineData("#3010")]
    [InlineData("0x10")]
    [InlineData("12.5")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1e3")]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public void Anything_else_is_refused_with_the_value_and_the_column(string cell)
    {
        var error = Assert.Throws<HaloSyncException>(() => SpreadsheetValue.ParseId(cell, "Halo Item Id"));

        Assert.Equal("InvalidId", error.ErrorId);
        Assert.Contains($"Halo Item Id '{cell}'", error.Message);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("Y", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("on", true)]
    [InlineData("No", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("OFF", false)]
    [InlineData("", null)]
    [InlineData("VERO", true)]
    [InlineData("VERDADEIRO", true)]
    [InlineData("SANT", true)]
    [InlineData("FALSKT", false)]
    [InlineData("EPÄTOSI", false)]
    [InlineData("FAŁSZ", false)]
    public void Switches_accept_what_spreadsheets_write(string cell, bool? expected)
        => Assert.Equal(expected, SpreadsheetValue.ParseSwitch(cell, "Enable Sync"));

    [Theory]
    [InlineData("False", true)]
    [InlineData("FAUX", true)]
    [InlineData("TRUE", true)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    [InlineData("off", false)]
    [InlineData("", false)]
    public void A_boolean_as_PowerShell_or_Excel_writes_it_is_told_from_a_typed_yes_or_no(string cell, bool expected)
        => Assert.Equal(expected, SpreadsheetValue.IsBooleanWord(cell));

    [Fact]
    public void An_unclear_switch_is_refused()
        => Assert.Equal("InvalidSwitchValue", Assert.Throws<HaloSyncException>(() => SpreadsheetValue.ParseSwitch("maybe", "Enable Sync")).ErrorId);

    [Theory]
    [InlineData(15, 15)]
    [InlineData(15.0, 15)]
    [InlineData("15", 15)]
    [InlineData(" 15 ", 15)]
    [InlineData(15.5, null)]
    [InlineData("15.5", null)]
    [InlineData("#15", null)]
    [InlineData("fifteen", null)]
    [InlineData(double.NaN, null)]
    [InlineData(1e12, null)]
    public void Whole_numbers_are_taken_as_numbers_or_text_and_fractions_are_not_rounded(object value, int? expected)
        => Assert.Equal(expected, SpreadsheetValue.WholeNumber(value));

    [Fact]
    public void A_decimal_whole_number_is_taken_and_a_decimal_fraction_is_not()
    {
        Assert.Equal(20, SpreadsheetValue.WholeNumber(20.000m));
        Assert.Null(SpreadsheetValue.WholeNumber(20.5m));
    }

    [Theory]
    [InlineData("Manual", MappingSource.Manual)]
    [InlineData(" automatic ", MappingSource.Automatic)]
    [InlineData("", null)]
    public void A_source_is_Manual_or_Automatic(string cell, MappingSource? expected) => Assert.Equal(expected, SpreadsheetValue.ParseSource(cell, "Source"));

    [Fact]
    public void Another_source_is_refused_with_the_value()
    {
        var error = Assert.Throws<HaloSyncException>(() => SpreadsheetValue.ParseSource("Auto", "Source"));

        Assert.Equal("InvalidMappingSource", error.ErrorId);
        Assert.StartsWith("Source 'Auto' is not Manual or Automatic", error.Message);
    }
}
