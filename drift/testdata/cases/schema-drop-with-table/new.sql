-- everything of app is gone
CREATE TABLE public.keep (id int);
