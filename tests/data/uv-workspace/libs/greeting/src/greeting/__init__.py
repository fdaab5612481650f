def greet(name):
    return f"greeting {name}"
