CREATE TABLE public.t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), v text);
