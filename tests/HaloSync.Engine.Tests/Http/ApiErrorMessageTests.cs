using HaloSync.Engine.Http;

namespace HaloSync.Engine.Tests.Http;

public class ApiErrorMessageTests
{
    [Theory]
    [InlineData("{\"resultCode\":1,\"errorMessage\":\"Item is locked\"}", "Item is locked")]
    [InlineData("{\"ClassName\":\"Halo.Exceptions.HaloValidationException\",\"Message\":\"Client ID is required\"}", "Client ID is required")]
    [InlineData("{\"error\":\"invalid_client\"}", "invalid_client")]
    [InlineData("{\"errors\":[\"first\",\"second\"]}", "first; second")]
    [InlineData("{\"[0].client_id\":[\"The client is required\"]}", "[0].client_id: The client is required")]
    [InlineData("{\"type\":\"https://tools.ietf.org/html/rfc7231#section-6.5.1\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"The date must be yyyy-MM-dd.\"}",
        "Bad Request The date must be yyyy-MM-dd.")]
    [InlineData("{\"title\":\"One or more validation errors occurred.\",\"status\":400,\"errors\":{\"customerId\":[\"The value 'x' is not valid.\"]}}",
        "One or more validation errors occurred. customerId: The value 'x' is not valid.")]
    [InlineData("{\"title\":\"Not Found\",\"status\":404}", "Not Found")]
    [InlineData("plain words", "plain words")]
    [InlineData("<html><body>Not found</body></html>", "an HTML page instead of an API answer")]
    public void Reads_the_error_shapes_apis_use(string body, string expected)
    {
        Assert.Equal(expected, ApiErrorMessage.Extract(body));
    }

    [Fact]
    public void Has_nothing_to_say_about_an_empty_body()
    {
        Assert.Null(ApiErrorMessage.Extract("  "));
    }

    [Fact]
    public void Shortens_long_bodies()
    {
        var message = ApiErrorMessage.Extract(new string('x', 1000))!;

        Assert.Equal(303, message.Length);
        Assert.EndsWith("...", message);
    }
}
