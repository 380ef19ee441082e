using System.IO;
using HaloSync.Engine.HaloPsa;
using Newtonsoft.Json;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class HaloJsonSerializerTests
{
    [Fact]
    public void A_save_answered_with_an_array_gives_every_record()
    {
        var saved = HaloJsonSerializer.ReadSaved<HaloLicence>(new StringReader(@"[ { ""id"": 11, ""name"": ""M365"", ""count"": 3 }, { ""id"": 12, ""name"": ""EXO"" } ]"));

        Assert.Equal(new[] { 11, 12 }, saved.ConvertAll(l => l.Id));
        Assert.Equal(3, saved[0].Count);
    }

    [Fact]
    public void A_save_answered_with_one_object_gives_that_record()
    {
        var saved = HaloJsonSerializer.ReadSaved<HaloLicence>(new StringReader(@"{ ""id"": 7, ""name"": ""M365"", ""unknown_field"": { ""x"": [1, 2] } }"));

        Assert.Equal(7, Assert.Single(saved).Id);
    }

    [Fact]
    public void An_empty_save_answer_is_an_error_not_an_empty_save()
    {
        var error = Assert.Throws<JsonSerializationException>(() => HaloJsonSerializer.ReadSaved<HaloLicence>(new StringReader("  ")));

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void A_page_gives_its_rows_and_record_count_and_skips_other_fields()
    {
        var (rows, count) = HaloJsonSerializer.ReadPage<HaloLicence>(
            new StringReader(@"{ ""page_no"": 2, ""columns"": [ { ""a"": 1 } ], ""record_count"": 250, ""licences"": [ { ""id"": 1 }, { ""id"": 2 } ] }"), "licences");

        Assert.Equal(new[] { 1, 2 }, rows.ConvertAll(l => l.Id));
        Assert.Equal(250, count);
    }

    [Fact]
    public void A_bare_array_page_has_no_record_count()
    {
        var (rows, count) = HaloJsonSerializer.ReadPage<HaloLicence>(new StringReader(@"[ { ""id"": 5 } ]"), "licences");

        Assert.Equal(5, Assert.Single(rows).Id);
        Assert.Null(count);
    }
}
