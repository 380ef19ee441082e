System.Console.Error.WriteLine("The sandbox is not built yet.");
return 1;
