using System;
using HaloSync.Engine.Http;

namespace HaloSync.Engine.Tests.Http;

public class SafeUrlTests
{
    [Fact]
    public void Hides_values_of_secret_looking_query_parameters()
    {
        var text = SafeUrl.Describe(new Uri("https://x.example.com/api/thing?client_id=5&client_secret=s3cr3t&access_token=abc&page_no=2"));

        Assert.Equal("/api/thing?client_id=5&client_secret=***&access_token=***&page_no=2", text);
    }

    [Fact]
    public void Describes_a_plain_path()
    {
        Assert.Equal("/api/Client", SafeUrl.Describe(new Uri("https://x.example.com/api/Client")));
    }
}
