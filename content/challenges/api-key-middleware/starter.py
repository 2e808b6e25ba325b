from django.http import JsonResponse

API_KEYS = {"k-alpha": "alpha", "k-beta": "beta"}


def api_key_middleware(get_response):
    """Django middleware factory guarding paths under /api/.

    Called once with the next layer; returns the callable that handles each request.
    See the statement for the exact responses and headers.
    """

    def middleware(request):
        key = request.headers.get("X-API-Key")
        if key not in API_KEYS:
            return JsonResponse({"error": "invalid API key"}, status=403)
        request.client_name = API_KEYS[key]
        # TODO: let non-API paths through, answer 401 for a missing key,
        # and add the X-Client and X-Request-Count headers.
        return get_response(request)

    return middleware
