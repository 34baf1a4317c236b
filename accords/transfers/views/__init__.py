"""Transfer pages: referrals and notices (`referrals`), counsel's portal (`counsel`), the
receiving state's view (`receiving`), plans and manifests (`manifests`)."""
