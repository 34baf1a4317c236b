from accords.core.roles import user_role


def roles(request):
    return {"role": user_role(request.user)}
