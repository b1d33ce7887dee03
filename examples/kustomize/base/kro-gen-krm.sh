#!/bin/sh
# kustomize runs this with the ResourceList on stdin. KRO_GEN overrides how kro-gen is started
# (the e2e test points it at this checkout's build).
exec ${KRO_GEN:-npx --no-install kro-gen} krm
