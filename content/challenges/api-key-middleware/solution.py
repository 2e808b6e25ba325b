from django.http import JsonResponse

API_KEYS = {"k-alpha": "alpha", "k-beta": "beta"}


def api_key_middleware(get_response):
    counts = {}

    def middleware(request):
        if not request.path.startswith("/api/"):
            request.client_name = None
            return get_response(request)
        key = request.headers.get("X-API-Key")
        if not key:
            return JsonResponse({"error": "missing API key"}, status=401)
        if key not in API_KEYS:
            return JsonResponse({"error": "invalid API key"}, status=403)
        client = API_KEYS[key]
        request.client_name = client
        counts[client] = counts.get(client, 0) + 1
        response = get_response(request)
        response["X-Client"] = client
        response["X-Request-Count"] = str(counts[client])
        return response

    return middleware
